(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and coq/Spectral.v and proves it from the certificate's witness.
   Title: Claims that relate measures: CKA squared, the similarity level, comparisons, metric axioms, invariance *)
(* Claims proved: 30; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep Spectral.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(1#1); (-1#1)]; [(-1#1); (1#1)]; [(-1#1); (-1#1)]].
Definition npoints : nat := length inputs.

(* network f *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1)]] [(0#1)] Identity].

(* network g *)
Definition net_1 : network := [mk_layer [[(0#1); (1#1)]] [(0#1)] Identity].

(* network id *)
Definition net_2 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (1#1)]] [(0#1); (0#1)] Identity].

(* network s *)
Definition net_3 : network := [mk_layer [[(6#5); (-9#10)]; [(9#10); (6#5)]] [(1#1); (-2#1)] Identity].

(* claim cka-irrational (cka), verdict true
   CKA(X, Y) is exactly sqrt(1/2), an irrational number *)
Theorem claim_0_cka_irrational : cka_surd_claim npoints (acts net_2 1%nat inputs) (acts net_0 1%nat inputs) false (Some ((1#1), (1#2))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim cka-squared (cka), verdict true
   ... that is, CKA^2(X, Y) = 1/2 *)
Theorem claim_1_cka_squared : cka_surd_claim npoints (acts net_2 1%nat inputs) (acts net_0 1%nat inputs) true (Some ((1#2), (1#1))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim cka-not-0.7071 (cka), verdict false
   ... so CKA(X, Y) is not at most 0.7071 (the decimal is read exactly) *)
Theorem claim_2_cka_not_0_7071 : ~ cka_claim npoints (acts net_2 1%nat inputs) (acts net_0 1%nat inputs) None None (Some (7071#10000)).
Proof. apply cka_false; vm_compute; reflexivity. Qed.

(* claim cka-rotation-invariant (invariance), verdict true
   CKA(Y, X) = CKA(YQ, X) for the rotation Q, with the irrational value sqrt(1/2) *)
Theorem claim_3_cka_rotation_invariant : relation_claim npoints (QCka (tr_matrix npoints [[(4#5); (-3#5)]; [(3#5); (4#5)]] (acts net_2 1%nat inputs)) (acts net_0 1%nat inputs)) OEq (QCka (acts net_2 1%nat inputs) (acts net_0 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-translation-invariant (invariance), verdict true
   CKA is unchanged by a translation *)
Theorem claim_4_cka_translation_invariant : relation_claim npoints (QCka (tr_shift [(5#1); (-1#2)] (acts net_2 1%nat inputs)) (acts net_0 1%nat inputs)) OEq (QCka (acts net_2 1%nat inputs) (acts net_0 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-not-invariant-anisotropic (invariance), verdict false
   CKA is not invariant under an anisotropic scaling diag(2, 1) *)
Theorem claim_5_cka_not_invariant_anisotropic : ~ relation_claim npoints (QCka (tr_matrix npoints [[(2#1); (0#1)]; [(0#1); (1#1)]] (acts net_2 1%nat inputs)) (acts net_0 1%nat inputs)) OEq (QCka (acts net_2 1%nat inputs) (acts net_0 1%nat inputs)).
Proof. apply (relation_false _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim match-not-rotation-invariant (invariance), verdict false
   the subspace-match similarity counts neurons: a rotation of Y changes it (2/3 before, 0 after) *)
Theorem claim_6_match_not_rotation_invariant : ~ relation_claim npoints (QMatch ((0#1) * (0#1)) (tr_matrix npoints [[(4#5); (-3#5)]; [(3#5); (4#5)]] (acts net_2 1%nat inputs)) (acts net_0 1%nat inputs)) OEq (QMatch ((0#1) * (0#1)) (acts net_2 1%nat inputs) (acts net_0 1%nat inputs)).
Proof. apply (relation_false _ _ (WMatch [] [] [(SX, 0%nat, [(-1#1); (1#1); (0#1); (0#1)]); (SX, 1%nat, [(-1#1); (1#1); (0#1); (0#1)]); (SY, 0%nat, [(1#1); (0#1); (0#1); (0#1)])] [] []) _ _ (WMatch [0%nat] [0%nat] [(SX, 1%nat, [(-1#1); (1#1); (0#1); (0#1)])] [[(1#1)]] [[(1#1)]])); vm_compute; reflexivity. Qed.

(* claim similarity-centred (equivalence), verdict true
   after centring, s is a similarity transform of Y: s = c Q Y with c^2 = 9/4 *)
Theorem claim_7_similarity_centred : similar npoints (center npoints (acts net_3 1%nat inputs)) (center npoints (acts net_2 1%nat inputs)).
Proof. apply (similar_true _ _ _ (9#4) [0%nat; 1%nat] [[(6#5); (-9#10)]; [(9#10); (6#5)]] [[(1#1); (0#1)]; [(0#1); (1#1)]]); vm_compute; reflexivity. Qed.

(* claim orthogonal-centred-fails (equivalence), verdict false
   ... but not an orthogonal one (the scale 3/2) *)
Theorem claim_8_orthogonal_centred_fails : ~ orthogonal_equiv npoints (center npoints (acts net_3 1%nat inputs)) (center npoints (acts net_2 1%nat inputs)).
Proof. apply (orthogonal_false _ _ _ [(1#2); (1#2); (0#1); (0#1)]); vm_compute; reflexivity. Qed.

(* claim similarity-uncentred-fails (equivalence), verdict false
   ... and without centring the shift v breaks the similarity *)
Theorem claim_9_similarity_uncentred_fails : ~ similar npoints (acts net_3 1%nat inputs) (acts net_2 1%nat inputs).
Proof. apply (similar_false1 _ _ _ [(0#1); (1#1); (1#1); (0#1)]); vm_compute; reflexivity. Qed.

(* claim cka-one-under-similarity (relation), verdict true
   CKA(s, Y) = 1, as for any similarity transform plus a shift *)
Theorem claim_10_cka_one_under_similarity : relation_claim npoints (QCka (acts net_3 1%nat inputs) (acts net_2 1%nat inputs)) OEq (QSurd (1#1) (1#1)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim bound-on-a-measure (relation), verdict true
   a bound on a measure, stated as a relation with an exact irrational number: CKA(X, Y) >= sqrt(1/2) *)
Theorem claim_11_bound_on_a_measure : relation_claim npoints (QCka (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)) OGe (QSurd (1#1) (1#2)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-above-match (relation), verdict true
   CKA(X, Y) = sqrt(1/2) exceeds the exact-match similarity of X and Y, 2/3 *)
Theorem claim_12_cka_above_match : relation_claim npoints (QCka (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)) OGt (QMatch ((0#1) * (0#1)) (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ (WMatch [0%nat] [0%nat] [(SY, 1%nat, [(-1#1); (1#1); (0#1); (0#1)])] [[(1#1)]] [[(1#1)]])); vm_compute; reflexivity. Qed.

(* claim match-at-eps-one-above-cka (relation), verdict true
   at eps = 1 every neuron matches (similarity 1), which exceeds CKA(X, Y) *)
Theorem claim_13_match_at_eps_one_above_cka : relation_claim npoints (QMatch ((1#1) * (1#1)) (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)) OGt (QCka (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)).
Proof. apply (relation_true _ _ (WMatch [0%nat] [0%nat; 1%nat] [] [[(1#1); (0#1)]] [[(1#1)]; [(0#1)]]) _ _ WNone); vm_compute; reflexivity. Qed.

(* claim distances-equal (relation), verdict true
   1 - CKA(X, Y) = 1 - CKA(Y, Z), exactly (both 1 - sqrt(1/2)) *)
Theorem claim_14_distances_equal : relation_claim npoints (QCka (acts net_0 0%nat inputs) (acts net_1 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim triangle-1-cka-fails (triangle), verdict false
   1 - CKA violates the triangle inequality: d(X, Z) = 1 > d(X, Y) + d(Y, Z) = 2 - sqrt(2) *)
Theorem claim_15_triangle_1_cka_fails : surd_triangle_claim npoints TOneMinus (QCka (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)) (QCka (acts net_0 0%nat inputs) (acts net_1 1%nat inputs)) (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) false false.
Proof. apply (surd_triangle_true _ _ _ WNone _ WNone _ WNone _ _ 0%nat ((11#16), (11#16), (1#1), (0#1))); vm_compute; reflexivity. Qed.

(* claim triangle-arccos-holds (triangle), verdict true
   arccos CKA satisfies the triangle inequality on X, Y, Z (Williams et al.) *)
Theorem claim_16_triangle_arccos_holds : surd_triangle_claim npoints TArccos (QCka (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)) (QCka (acts net_0 0%nat inputs) (acts net_1 1%nat inputs)) (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) false true.
Proof. apply (surd_triangle_true _ _ _ WNone _ WNone _ WNone _ _ 0%nat ((0#1), (0#1), (0#1), (0#1))); vm_compute; reflexivity. Qed.

(* claim triangle-arccos-tight (triangle), verdict true
   ... with equality: arccos CKA(X, Z) = pi/2 = arccos CKA(X, Y) + arccos CKA(Y, Z) *)
Theorem claim_17_triangle_arccos_tight : surd_triangle_claim npoints TArccos (QCka (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)) (QCka (acts net_0 0%nat inputs) (acts net_1 1%nat inputs)) (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) true true.
Proof. apply (surd_triangle_true _ _ _ WNone _ WNone _ WNone _ _ 0%nat ((0#1), (0#1), (0#1), (0#1))); vm_compute; reflexivity. Qed.

(* claim triangle-1-match-fails (triangle), verdict false
   1 - the match similarity violates it too: 1 > 1/3 + 1/3 *)
Theorem claim_18_triangle_1_match_fails : triangle_claim npoints (QMatch ((0#1) * (0#1)) (acts net_0 1%nat inputs) (acts net_0 0%nat inputs)) (QMatch ((0#1) * (0#1)) (acts net_0 0%nat inputs) (acts net_1 1%nat inputs)) (QMatch ((0#1) * (0#1)) (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) false false.
Proof. apply (triangle_true _ _ (WMatch [0%nat] [0%nat] [(SY, 1%nat, [(-1#1); (1#1); (0#1); (0#1)])] [[(1#1)]] [[(1#1)]]) _ (WMatch [1%nat] [0%nat] [(SX, 0%nat, [(1#1); (1#1); (0#1); (0#1)])] [[(1#1)]] [[(1#1)]]) _ (WMatch [] [] [(SX, 0%nat, [(1#1); (1#1); (0#1); (0#1)]); (SY, 0%nat, [(1#1); (0#1); (0#1); (0#1)])] [] []) _ _ (2#3) (2#3) (0#1)); vm_compute; reflexivity. Qed.

(* claim knn-well-defined (relation), verdict true
   mutual 1-NN alignment (platonic-rep, cosine neighbours) of X and Z is 0: their neighbour pairs differ *)
Theorem claim_19_knn_well_defined : relation_claim npoints (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) OEq (QSurd (0#1) (1#1)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim knn-tie-range (relation), verdict true
   mutual 2-NN alignment of Y and X depends on tie-breaking (argsort order): it can be any of 1/2, 5/8, 3/4, 7/8, 1; every choice exceeds 1/4 *)
Theorem claim_20_knn_tie_range : relation_every npoints (TKnn 2%nat (acts net_2 1%nat inputs) (acts net_0 1%nat inputs)) OGt (TQ (QSurd (1#4) (1#1))).
Proof. apply (relation_every_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rsa-rotation-invariant (invariance), verdict true
   RSA with squared-Euclidean RDMs compared by Spearman is unchanged by a rotation of Y *)
Theorem claim_21_rsa_rotation_invariant : relation_claim npoints (QRsa true true (tr_matrix npoints [[(4#5); (-3#5)]; [(3#5); (4#5)]] (acts net_2 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QRsa true true (acts net_2 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rsa-pearson-not-scale-free-per-axis (invariance), verdict false
   ... but stretching one axis changes the Pearson RSA *)
Theorem claim_22_rsa_pearson_not_scale_free_per_axis : ~ relation_claim npoints (QRsa true false (tr_matrix npoints [[(3#1); (0#1)]; [(0#1); (1#1)]] (acts net_2 1%nat inputs)) (acts net_3 1%nat inputs)) OEq (QRsa true false (acts net_2 1%nat inputs) (acts net_3 1%nat inputs)).
Proof. apply (relation_false _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-invariant-every-orthogonal (invariance), verdict true
   CKA is unchanged by every orthogonal map of Y (a proof for the whole family: CKA depends on Y only through its centred Gram), not only by the rotation Q *)
Theorem claim_23_cka_invariant_every_orthogonal : invariant_over npoints FOrthogonal QCka (acts net_2 1%nat inputs) (acts net_3 1%nat inputs).
Proof. apply cka_orthogonal_invariant; vm_compute; reflexivity. Qed.

(* claim cka-not-invariant-every-invertible (invariance), verdict false
   ... but not by every invertible linear map: a rational member that changes it is the witness *)
Theorem claim_24_cka_not_invariant_every_invertible : ~ invariant_over npoints FInvertible QCka (acts net_2 1%nat inputs) (acts net_0 1%nat inputs).
Proof. apply (family_false _ _ _ _ _ (TMat [[(2#1); (0#1)]; [(0#1); (1#1)]]) [[(1#2); (0#1)]; [(0#1); (1#1)]] WNone WNone); vm_compute; reflexivity. Qed.

(* claim cca-invariant-every-invertible (invariance), verdict true
   mean CCA is unchanged by every invertible linear map (it depends only on the spans of the centred layers) *)
Theorem claim_25_cca_invariant_every_invertible : cca_invariant_over npoints FInvertible (acts net_2 1%nat inputs) (acts net_0 1%nat inputs).
Proof. apply cca_invertible_invariant; vm_compute; reflexivity. Qed.

(* claim procrustes-not-scale-invariant (invariance), verdict false
   the Procrustes distance is not invariant under isotropic scaling (Williams et al. normalise it for that) *)
Theorem claim_26_procrustes_not_scale_invariant : in_family (length (acts net_2 1%nat inputs)) FScaling (TScale (1#2)) /\ procrustes_claim npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) None None (Some (2#1)) /\ procrustes_claim npoints (apply_tr npoints (TScale (1#2)) (acts net_2 1%nat inputs)) (acts net_3 1%nat inputs) None (Some (5#2)) None /\ (2#1) < (5#2).
Proof. split; [apply (in_familyb_sound _ _ _ []); vm_compute; reflexivity | split; [apply (procrustes_true _ _ _ _ _ _ ([[(932295#1164857); (698368#1164857)]; [(-698368#1164857); (932295#1164857)]], true) (0%nat, [], [], [])); vm_compute; reflexivity | split; [apply (procrustes_true _ _ _ _ _ _ ([], true) (2%nat, [[(-1773#1280); (5319#5120)]; [(5319#5120); (1773#1280)]], [(1#1); (1#1)], [[(-1024#591); (0#1)]; [(0#1); (1024#591)]])); vm_compute; reflexivity | vm_compute; reflexivity]]]; vm_compute; reflexivity. Qed.

(* claim angular-procrustes-similarity-zero (relation), verdict true
   for s = (3/2) Q Y + v, the angular Procrustes distance is exactly 0 (netrep's 0), while ... *)
Theorem claim_27_angular_procrustes_similarity_zero : angular_claim npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) (Some (0#1)) None None.
Proof. apply (angular_true _ _ _ _ _ _ (12#1) ([[(4#5); (3#5)]; [(-3#5); (4#5)]], true) (0#1) (0#1) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim procrustes-similarity-positive (relation), verdict true
   ... the plain Procrustes distance is positive: the scale 3/2 is not an orthogonal map *)
Theorem claim_28_procrustes_similarity_positive : (1#1) < (9#8) /\ procrustes_claim npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) None (Some (9#8)) None.
Proof. split; [vm_compute; reflexivity | apply (procrustes_true _ _ _ _ _ _ ([], true) (2%nat, [[(4#5); (3#5)]; [(-3#5); (4#5)]], [(6#1); (6#1)], [[(1#1); (0#1)]; [(0#1); (1#1)]]))]; vm_compute; reflexivity. Qed.

(* claim procrustes-triangle (triangle), verdict true
   the Procrustes distance satisfies the triangle inequality on Y, X and s (it is a metric: Williams et al.) *)
Theorem claim_29_procrustes_triangle : procrustes_triangle npoints (acts net_2 1%nat inputs) (acts net_0 1%nat inputs) (acts net_3 1%nat inputs).
Proof. apply (procrustes_triangle_true _ _ _ _ ((251#128), (261#128), ([[(1#1)]; [(0#1)]], true), (1%nat, [[(2#1)]; [(0#1)]], [(1#1)], [[(2#1)]])) ((25#8), (409#128), ([[(932295#1164857); (698368#1164857)]], false), (1%nat, [[(-1569#640)]], [(1#1)], [[(-1024#523); (-768#523)]])) ((11#8), (93#64), ([[(932295#1164857); (698368#1164857)]; [(-698368#1164857); (932295#1164857)]], true), (2%nat, [[(-627#320); (1881#1280)]; [(1881#1280); (627#320)]], [(1#1); (1#1)], [[(-512#209); (0#1)]; [(0#1); (512#209)]]))); vm_compute; reflexivity. Qed.

