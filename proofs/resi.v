(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: The ReSi benchmark: declared invariance flags, confirmed or refuted instance by instance *)
(* Claims proved: 17; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]; [(0#1); (0#1); (0#1); (1#1)]].
Definition npoints : nat := length inputs.

(* network k *)
Definition net_0 : network := [mk_layer [[(1#1); (5#1); (5#1); (5#1)]; [(0#1); (1#1); (4#1); (-4#1)]] [(0#1); (0#1)] Identity].

(* network k_t *)
Definition net_1 : network := [mk_layer [[(1#1); (5#1); (5#1); (5#1)]; [(4#1); (5#1); (8#1); (0#1)]] [(0#1); (0#1)] Identity].

(* network k_s *)
Definition net_2 : network := [mk_layer [[(1#1); (5#1); (5#1); (5#1)]; [(0#1); (10#1); (40#1); (-40#1)]] [(0#1); (0#1)] Identity].

(* network r *)
Definition net_3 : network := [mk_layer [[(1#1); (1#1); (-1#1); (1#1)]; [(-1#1); (0#1); (2#1); (-1#1)]; [(0#1); (-1#1); (-1#1); (0#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network r_t *)
Definition net_4 : network := [mk_layer [[(1#1); (1#1); (-1#1); (1#1)]; [(-1#1); (0#1); (2#1); (-1#1)]; [(2#1); (1#1); (1#1); (2#1)]] [(0#1); (0#1); (0#1)] Identity].

(* claim cka-ortho-consistent (invariance), verdict true
   ReSi CKA invariant_to_ortho = True: consistent (a rotation of k's features leaves CKA(k, r) unchanged) *)
Theorem claim_0_cka_ortho_consistent : relation_claim npoints (QCka (tr_matrix npoints [[(3#5); (-4#5)]; [(4#5); (3#5)]] (acts net_0 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-permutation-consistent (invariance), verdict true
   ReSi CKA invariant_to_permutation = True: consistent (swapping k's two features) *)
Theorem claim_1_cka_permutation_consistent : relation_claim npoints (QCka (tr_matrix npoints [[(0#1); (1#1)]; [(1#1); (0#1)]] (acts net_0 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-isotropic-consistent (invariance), verdict true
   ReSi CKA invariant_to_isotropic_scaling = True: consistent (k -> 3 k) *)
Theorem claim_2_cka_isotropic_consistent : relation_claim npoints (QCka (tr_scale (3#1) (acts net_0 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-translation-consistent (invariance), verdict true
   ReSi CKA invariant_to_translation = True: consistent (every point + (5, -2)) *)
Theorem claim_3_cka_translation_consistent : relation_claim npoints (QCka (tr_shift [(5#1); (-2#1)] (acts net_0 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-invertible-linear-confirmed (invariance), verdict false
   ReSi CKA invariant_to_invertible_linear = False (and so invariant_to_affine = False): confirmed, stretching feature 1 by 10 changes CKA^2(k, r) from 79707/142978 to 40605123/78657106 *)
Theorem claim_4_cka_invertible_linear_confirmed : ~ relation_claim npoints (QCka (tr_matrix npoints [[(1#1); (0#1)]; [(0#1); (10#1)]] (acts net_0 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_false _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim knn-ortho-consistent (invariance), verdict true
   ReSi JaccardSimilarity invariant_to_ortho = True: consistent (a rotation keeps every cosine) *)
Theorem claim_5_knn_ortho_consistent : relation_claim npoints (QKnn 1%nat (tr_matrix npoints [[(3#5); (-4#5)]; [(4#5); (3#5)]] (acts net_0 1%nat inputs)) (acts net_0 1%nat inputs)) OEq (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_0 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim knn-permutation-consistent (invariance), verdict true
   ReSi JaccardSimilarity invariant_to_permutation = True: consistent *)
Theorem claim_6_knn_permutation_consistent : relation_claim npoints (QKnn 1%nat (tr_matrix npoints [[(0#1); (1#1)]; [(1#1); (0#1)]] (acts net_0 1%nat inputs)) (acts net_0 1%nat inputs)) OEq (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_0 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim knn-isotropic-consistent (invariance), verdict true
   ReSi JaccardSimilarity invariant_to_isotropic_scaling = True: consistent, also for a negative factor (k -> -2 k) *)
Theorem claim_7_knn_isotropic_consistent : relation_claim npoints (QKnn 1%nat (tr_scale (-2#1) (acts net_0 1%nat inputs)) (acts net_0 1%nat inputs)) OEq (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_0 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim knn-translation-confirmed (invariance), verdict false
   ReSi JaccardSimilarity invariant_to_translation = False: confirmed, translating every point by (0, 4) changes the neighbours *)
Theorem claim_8_knn_translation_confirmed : ~ relation_claim npoints (QKnn 1%nat (tr_shift [(0#1); (4#1)] (acts net_0 1%nat inputs)) (acts net_0 1%nat inputs)) OEq (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_0 1%nat inputs)).
Proof. apply (relation_false _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim knn-translation-value (relation), verdict true
   ... mknn(k_t, k) = 1/4 (only point 2 keeps its nearest neighbour) *)
Theorem claim_9_knn_translation_value : relation_claim npoints (QKnn 1%nat (acts net_1 1%nat inputs) (acts net_0 1%nat inputs)) OEq (QSurd (1#4) (1#1)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim knn-invertible-linear-confirmed (relation), verdict true
   ReSi JaccardSimilarity invariant_to_invertible_linear = False: confirmed, mknn(k_s, k) = 3/4 after stretching feature 1 by 10 *)
Theorem claim_10_knn_invertible_linear_confirmed : relation_claim npoints (QKnn 1%nat (acts net_2 1%nat inputs) (acts net_0 1%nat inputs)) OEq (QSurd (3#4) (1#1)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rsa-permutation-consistent (invariance), verdict true
   ReSi RSA invariant_to_permutation = True: consistent (swapping features 0 and 1 keeps every Pearson correlation) *)
Theorem claim_11_rsa_permutation_consistent : relation_claim npoints (QRsa false true (tr_matrix npoints [[(0#1); (1#1); (0#1)]; [(1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1)]] (acts net_3 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QRsa false true (acts net_3 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rsa-isotropic-consistent (invariance), verdict true
   ReSi RSA invariant_to_isotropic_scaling = True: consistent (r -> 3 r) *)
Theorem claim_12_rsa_isotropic_consistent : relation_claim npoints (QRsa false true (tr_scale (3#1) (acts net_3 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QRsa false true (acts net_3 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rsa-ortho-confirmed (invariance), verdict false
   ReSi RSA invariant_to_ortho = False: confirmed, negating feature 0 changes RSA(r, r) from 1 to 9/11 *)
Theorem claim_13_rsa_ortho_confirmed : ~ relation_claim npoints (QRsa false true (tr_matrix npoints [[(-1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]] (acts net_3 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QRsa false true (acts net_3 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_false _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rsa-translation-refuted (invariance), verdict false
   ReSi RSA invariant_to_translation = True: REFUTED for its default correlation RDM, translating every point by (0, 0, 2) changes RSA(r, r) *)
Theorem claim_14_rsa_translation_refuted : ~ relation_claim npoints (QRsa false true (tr_shift [(0#1); (0#1); (2#1)] (acts net_3 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QRsa false true (acts net_3 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_false _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rsa-translation-value (relation), verdict true
   ... to RSA(r_t, r) = 9/11 *)
Theorem claim_15_rsa_translation_value : relation_claim npoints (QRsa false true (acts net_4 1%nat inputs) (acts net_3 1%nat inputs)) OEq (QSurd (9#11) (1#1)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rsa-euclidean-translation-consistent (invariance), verdict true
   with the Euclidean RDM instead (not ReSi's default) the same translation changes nothing, as every distance is kept *)
Theorem claim_16_rsa_euclidean_translation_consistent : relation_claim npoints (QRsa true true (tr_shift [(0#1); (0#1); (2#1)] (acts net_3 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QRsa true true (acts net_3 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

