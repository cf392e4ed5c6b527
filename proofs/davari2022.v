(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Davari et al. (2022): CKA moves while the function stays the same *)
(* Claims proved: 3; skipped (not covered by the Coq library): 6.
   - translate-one-point-same-function (equal_functions): equal_functions with verdict true (covering tree) is not in the Coq library
   - translate-one-point-cka-low (cka): cka bounds written with sqrt are not in the Coq library
   - translate-all-points-cka-unchanged (invariance): kind 'invariance' is not covered by the Coq library
   - rescale-same-function (equal_functions): equal_functions with verdict true (covering tree) is not in the Coq library
   - rescale-cka-below-one (cka): cka bounds written with sqrt are not in the Coq library
   - rescale-not-orthogonal (equivalence): equivalence at level 'similarity' is not in the Coq library *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]; [(0#1); (0#1); (0#1); (1#1)]].
Definition npoints : nat := length inputs.

(* network f *)
Definition net_0 : network := [mk_layer [[(1#1); (-1#1); (1#1); (-1#1)]; [(0#1); (0#1); (1#1); (1#1)]] [(0#1); (0#1)] Identity; mk_layer [[(1#1); (0#1)]] [(0#1)] Identity].

(* network f_moved *)
Definition net_1 : network := [mk_layer [[(1#1); (-1#1); (1#1); (-1#1)]; [(0#1); (0#1); (1#1); (11#1)]] [(0#1); (0#1)] Identity; mk_layer [[(1#1); (0#1)]] [(0#1)] Identity].

(* network g *)
Definition net_2 : network := [mk_layer [[(1#1); (2#1); (0#1); (3#1)]; [(2#1); (0#1); (1#1); (1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (1#1)]] [(0#1)] Identity].

(* network g_scaled *)
Definition net_3 : network := [mk_layer [[(10#1); (20#1); (0#1); (30#1)]; [(2#1); (0#1); (1#1); (1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#10); (1#1)]] [(0#1)] Identity].

(* claim translate-one-point-same-outputs (identical), verdict true
   ... in particular the outputs on the data are identical *)
Theorem claim_1_translate_one_point_same_outputs : mat_eq (acts net_0 2%nat inputs) (acts net_1 2%nat inputs).
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim translate-one-point-cka-below-half (cka), verdict true
   ... below 1/2 *)
Theorem claim_3_translate_one_point_cka_below_half : cka_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) None None (Some (1#2)).
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim rescale-scaled-permutation (equivalence), verdict true
   ... and the hidden layers are equal up to a positive rescaling of neurons *)
Theorem claim_6_rescale_scaled_permutation : scaled_permutation_equiv npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs).
Proof. apply (scaled_permutation_true _ _ _ [0%nat; 1%nat] [(1#10); (1#1)]); vm_compute; reflexivity. Qed.

