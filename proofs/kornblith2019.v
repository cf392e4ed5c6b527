(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and coq/Spectral.v and proves it from the certificate's witness.
   Title: Kornblith et al. (2019): what linear CKA is invariant to, and why invariance to invertible linear maps is too much *)
(* Claims proved: 11; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep Spectral.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]].
Definition npoints : nat := length inputs.

(* network a *)
Definition net_0 : network := [mk_layer [[(1#1); (2#1); (0#1)]; [(0#1); (1#1); (3#1)]] [(0#1); (0#1)] Identity].

(* network b *)
Definition net_1 : network := [mk_layer [[(1#1); (0#1); (1#1)]; [(2#1); (1#1); (0#1)]] [(0#1); (0#1)] Identity].

(* network p *)
Definition net_2 : network := [mk_layer [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network q *)
Definition net_3 : network := [mk_layer [[(1#1); (2#1); (0#1)]; [(0#1); (1#1); (3#1)]; [(1#1); (0#1); (1#1)]] [(0#1); (0#1); (0#1)] Identity].

(* claim cka-value (cka), verdict true
   CKA^2(a, b) = 125/152 *)
Theorem claim_0_cka_value : cka_surd_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) true (Some ((125#152), (1#1))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim invariant-orthogonal (invariance), verdict true
   CKA is invariant to orthogonal transformations: rotating a's features by T = [[3/5, -4/5], [4/5, 3/5]] leaves CKA(a, b) unchanged *)
Theorem claim_1_invariant_orthogonal : relation_claim npoints (QCka (tr_matrix npoints [[(3#5); (-4#5)]; [(4#5); (3#5)]] (acts net_0 1%nat inputs)) (acts net_1 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim invariant-isotropic-scaling (invariance), verdict true
   CKA is invariant to isotropic scaling: a -> 7 a *)
Theorem claim_2_invariant_isotropic_scaling : relation_claim npoints (QCka (tr_scale (7#1) (acts net_0 1%nat inputs)) (acts net_1 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim invariant-negative-scaling (invariance), verdict true
   ... also by a negative factor, a -> -2 a (an isotropic scaling composed with the orthogonal map -I) *)
Theorem claim_3_invariant_negative_scaling : relation_claim npoints (QCka (tr_scale (-2#1) (acts net_0 1%nat inputs)) (acts net_1 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim not-invariant-invertible-linear (invariance), verdict false
   CKA is not invariant to invertible linear transformations: stretching one feature, T = diag(2, 1), changes it *)
Theorem claim_4_not_invariant_invertible_linear : ~ relation_claim npoints (QCka (tr_matrix npoints [[(2#1); (0#1)]; [(0#1); (1#1)]] (acts net_0 1%nat inputs)) (acts net_1 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)).
Proof. apply (relation_false _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim stretched-value (relation), verdict true
   ... it lowers it: CKA(a, b) = sqrt(125/152) exceeds sqrt(5929/10600), the value after the stretch (hand computation in the description) *)
Theorem claim_5_stretched_value : relation_claim npoints (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) OGt (QSurd (1#1) (5929#10600)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim width-linear-equivalent (equivalence), verdict true
   'neither CCA nor any other statistic that is invariant to invertible linear transformation can measure meaningful similarities between representations of higher dimension than the number of data points' (abstract): with width = number of points, p and q are equal up to an invertible linear map *)
Theorem claim_6_width_linear_equivalent : linear_equiv npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs).
Proof. apply (linear_true _ _ _ [[(1#7); (-2#7); (6#7)]; [(3#7); (1#7); (-3#7)]; [(-1#7); (2#7); (1#7)]] [[(1#1); (2#1); (0#1)]; [(0#1); (1#1); (3#1)]; [(1#1); (0#1); (1#1)]]); vm_compute; reflexivity. Qed.

(* claim width-linear-equivalent-centred (equivalence), verdict true
   ... also after centring *)
Theorem claim_7_width_linear_equivalent_centred : linear_equiv npoints (center npoints (acts net_2 1%nat inputs)) (center npoints (acts net_3 1%nat inputs)).
Proof. apply (linear_true _ _ _ [[(-1#2); (-1#2); (0#1)]; [(3#4); (1#4); (0#1)]; [(1#2); (1#2); (1#1)]] [[(1#1); (2#1); (0#1)]; [(-3#1); (-2#1); (0#1)]; [(1#1); (0#1); (1#1)]]); vm_compute; reflexivity. Qed.

(* claim width-cca-one (cca), verdict true
   ... so mean CCA, invariant to invertible linear maps, is exactly 1 for p and q, as for p and p *)
Theorem claim_8_width_cca_one : cca_exact_claim npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (2%nat, 2%nat, ([0%nat; 1%nat], [0%nat; 1%nat], [[(2#1); (1#1)]; [(1#1); (2#1)]], [[(1#1); (0#1)]; [(0#1); (1#1)]; [(-1#1); (-1#1)]]), ([0%nat; 1%nat], [0%nat; 1%nat], [[(-1#4); (-3#4)]; [(1#1); (0#1)]], [[(1#1); (0#1)]; [(0#1); (1#1)]; [(-3#4); (-1#4)]]), ([0%nat; 1%nat], [0%nat; 1%nat], [[(2#1); (1#1)]; [(1#1); (2#1)]], [[(1#1); (0#1)]; [(0#1); (1#1)]; [(-1#1); (-1#1)]; [(1#1); (2#1)]; [(-3#1); (-2#1)]; [(0#1); (-1#1)]])))); vm_compute; reflexivity. Qed.

(* claim width-cka-tells-apart (cka), verdict true
   ... while CKA(p, q) = sqrt(121/164) < 1 tells them apart *)
Theorem claim_9_width_cka_tells_apart : cka_surd_claim npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) false (Some ((1#1), (121#164))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim width-not-orthogonal (equivalence), verdict false
   ... for they are not equal up to an orthogonal map and a positive scale (the centred similarity level, the class CKA is invariant to) *)
Theorem claim_10_width_not_orthogonal : ~ similar npoints (center npoints (acts net_2 1%nat inputs)) (center npoints (acts net_3 1%nat inputs)).
Proof. apply (similar_false2 _ _ _ [(-1#4); (1#1); (0#1)] [(-3#4); (0#1); (0#1)]); vm_compute; reflexivity. Qed.

