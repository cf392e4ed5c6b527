(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Davari et al. (2022): CKA moves while the function stays the same *)
(* Claims proved: 9; skipped (not covered by the Coq library): 0. *)

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

(* claim translate-one-point-same-function (equal_functions), verdict true
   translating one point's hidden representation along a direction the readout ignores leaves the network's function unchanged (on all of R^4) *)
Theorem claim_0_translate_one_point_same_function : equal_on 4%nat [] net_0 net_1.
Proof. apply (equal_functions_true _ _ _ _ (TLeaf [None])); vm_compute; reflexivity. Qed.

(* claim translate-one-point-same-outputs (identical), verdict true
   ... in particular the outputs on the data are identical *)
Theorem claim_1_translate_one_point_same_outputs : mat_eq (acts net_0 2%nat inputs) (acts net_1 2%nat inputs).
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim translate-one-point-cka-low (cka), verdict true
   ... yet CKA between the hidden layers drops to sqrt(5776/32351) ~ 0.42 *)
Theorem claim_2_translate_one_point_cka_low : cka_surd_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) false (Some ((1#1), (5776#32351))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim translate-one-point-cka-below-half (cka), verdict true
   ... below 1/2 *)
Theorem claim_3_translate_one_point_cka_below_half : cka_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) None None (Some (1#2)).
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim translate-all-points-cka-unchanged (invariance), verdict true
   translating every point by the same vector, by contrast, leaves CKA unchanged (it centres) *)
Theorem claim_4_translate_all_points_cka_unchanged : relation_claim npoints (QCka (tr_shift [(0#1); (10#1)] (acts net_0 1%nat inputs)) (acts net_1 1%nat inputs)) OEq (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim rescale-same-function (equal_functions), verdict true
   positive rescaling of a ReLU neuron (x10 in, x1/10 out) computes the identical function on R^4 *)
Theorem claim_5_rescale_same_function : equal_on 4%nat [] net_2 net_3.
Proof. apply (equal_functions_true _ _ _ _ (TNodeP false 0%nat (TNodeP false 1%nat (TNodeP true 0%nat (TNodeP true 1%nat (TLeaf [None]) (TEmpty [(0#1); (1#1); (0#1); (1#1)]) [(1#1); (1#1); (1#1); (1#1)]) (TEmpty [(10#1); (0#1); (1#1)]) [(1#1); (1#1); (1#1); (1#1)]) (TNodeP true 0%nat (TNodeP true 1%nat (TEmpty [(0#1); (1#1); (0#1); (1#1)]) (TLeaf [None]) [(-3#2); (1#1); (1#1); (1#1)]) (TEmpty [(10#1); (0#1); (1#1)]) [(-3#2); (1#1); (1#1); (1#1)]) [(1#1); (1#1); (1#1); (1#1)]) (TNodeP false 1%nat (TNodeP true 0%nat (TEmpty [(10#1); (0#1); (1#1)]) (TNodeP true 1%nat (TLeaf [None]) (TEmpty [(0#1); (1#1); (0#1); (1#1)]) [(-1#2); (-7#4); (1#1); (1#1)]) [(-1#2); (-7#4); (1#1); (1#1)]) (TNodeP true 0%nat (TEmpty [(10#1); (0#1); (1#1)]) (TNodeP true 1%nat (TEmpty [(0#1); (1#1); (0#1); (1#1)]) (TLeaf [None]) [(-6#1); (1#1); (1#1); (1#1)]) [(-6#1); (1#1); (1#1); (1#1)]) [(-1#2); (-7#4); (1#1); (1#1)]) [(1#1); (1#1); (1#1); (1#1)])); vm_compute; reflexivity. Qed.

(* claim rescale-scaled-permutation (equivalence), verdict true
   ... and the hidden layers are equal up to a positive rescaling of neurons *)
Theorem claim_6_rescale_scaled_permutation : scaled_permutation_equiv npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs).
Proof. apply (scaled_permutation_true _ _ _ [0%nat; 1%nat] [(1#10); (1#1)]); vm_compute; reflexivity. Qed.

(* claim rescale-cka-below-one (cka), verdict true
   ... yet CKA between the hidden layers is sqrt(6786025/7756324) ~ 0.935, not 1 *)
Theorem claim_7_rescale_cka_below_one : cka_surd_claim npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) false (Some ((1#1), (6786025#7756324))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim rescale-not-orthogonal (equivalence), verdict false
   ... since the two hidden layers are not related by an orthogonal map and a scale (centred) *)
Theorem claim_8_rescale_not_orthogonal : ~ similar npoints (center npoints (acts net_2 1%nat inputs)) (center npoints (acts net_3 1%nat inputs)).
Proof. apply (similar_false2 _ _ _ [(0#1); (0#1); (-1#15); (0#1)] [(1#1); (0#1); (-1#3); (0#1)]); vm_compute; reflexivity. Qed.

