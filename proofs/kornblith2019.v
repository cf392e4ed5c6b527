(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Kornblith et al. (2019): what linear CKA is invariant to, and why invariance to invertible linear maps is too much *)
(* Claims proved: 2; skipped (not covered by the Coq library): 9.
   - cka-value (cka): cka bounds on CKA^2 (squared = true) are not in the Coq library
   - invariant-orthogonal (invariance): kind 'invariance' is not covered by the Coq library
   - invariant-isotropic-scaling (invariance): kind 'invariance' is not covered by the Coq library
   - invariant-negative-scaling (invariance): kind 'invariance' is not covered by the Coq library
   - not-invariant-invertible-linear (invariance): kind 'invariance' is not covered by the Coq library
   - stretched-value (relation): kind 'relation' is not covered by the Coq library
   - width-cca-one (cca): kind 'cca' is not covered by the Coq library
   - width-cka-tells-apart (cka): cka bounds written with sqrt are not in the Coq library
   - width-not-orthogonal (equivalence): equivalence at level 'similarity' is not in the Coq library *)

From Symrep Require Import Symrep.
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

(* claim width-linear-equivalent (equivalence), verdict true
   'neither CCA nor any other statistic that is invariant to invertible linear transformation can measure meaningful similarities between representations of higher dimension than the number of data points' (abstract): with width = number of points, p and q are equal up to an invertible linear map *)
Theorem claim_6_width_linear_equivalent : linear_equiv npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs).
Proof. apply (linear_true _ _ _ [[(1#7); (-2#7); (6#7)]; [(3#7); (1#7); (-3#7)]; [(-1#7); (2#7); (1#7)]] [[(1#1); (2#1); (0#1)]; [(0#1); (1#1); (3#1)]; [(1#1); (0#1); (1#1)]]); vm_compute; reflexivity. Qed.

(* claim width-linear-equivalent-centred (equivalence), verdict true
   ... also after centring *)
Theorem claim_7_width_linear_equivalent_centred : linear_equiv npoints (center npoints (acts net_2 1%nat inputs)) (center npoints (acts net_3 1%nat inputs)).
Proof. apply (linear_true _ _ _ [[(-1#2); (-1#2); (0#1)]; [(3#4); (1#4); (0#1)]; [(1#2); (1#2); (1#1)]] [[(1#1); (2#1); (0#1)]; [(-3#1); (-2#1); (0#1)]; [(1#1); (0#1); (1#1)]]); vm_compute; reflexivity. Qed.

