(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Phuong and Lampert (2020): permutation and positive rescaling preserve a ReLU network's function *)
(* Claims proved: 4; skipped (not covered by the Coq library): 2.
   - permute-rescale-same-function (equal_functions): equal_functions with verdict true (covering tree) is not in the Coq library
   - dead-neuron-same-function (equal_functions): equal_functions with verdict true (covering tree) is not in the Coq library *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (1#1); (1#1)]].
Definition npoints : nat := length inputs.

(* network f *)
Definition net_0 : network := [mk_layer [[(1#1); (-1#1); (2#1)]; [(0#1); (2#1); (-1#1)]; [(-1#1); (1#1); (1#1)]] [(0#1); (1#1); (-1#1)] Relu; mk_layer [[(1#1); (2#1); (-1#1)]; [(-2#1); (1#1); (3#1)]] [(1#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]] [(2#1)] Identity].

(* network g *)
Definition net_1 : network := [mk_layer [[(-5#1); (5#1); (5#1)]; [(2#1); (-2#1); (4#1)]; [(0#1); (2#3); (-1#3)]] [(-5#1); (0#1); (1#3)] Relu; mk_layer [[(-4#5); (2#1); (24#1)]; [(3#10); (-1#2); (3#2)]] [(4#1); (0#1)] Relu; mk_layer [[(1#4); (-2#1)]] [(2#1)] Identity].

(* network g_neg *)
Definition net_2 : network := [mk_layer [[(-1#1); (1#1); (-2#1)]; [(0#1); (2#1); (-1#1)]; [(-1#1); (1#1); (1#1)]] [(0#1); (1#1); (-1#1)] Relu; mk_layer [[(-1#1); (2#1); (-1#1)]; [(2#1); (1#1); (3#1)]] [(1#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]] [(2#1)] Identity].

(* network f_dead *)
Definition net_3 : network := [mk_layer [[(1#1); (-1#1); (2#1)]; [(0#1); (2#1); (-1#1)]; [(1#1); (1#1); (1#1)]] [(0#1); (1#1); (0#1)] Relu; mk_layer [[(1#1); (2#1); (0#1)]; [(-2#1); (1#1); (0#1)]] [(1#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]] [(2#1)] Identity].

(* network f_dead2 *)
Definition net_4 : network := [mk_layer [[(1#1); (-1#1); (2#1)]; [(0#1); (2#1); (-1#1)]; [(-3#1); (2#1); (0#1)]] [(0#1); (1#1); (0#1)] Relu; mk_layer [[(1#1); (2#1); (0#1)]; [(-2#1); (1#1); (0#1)]] [(1#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]] [(2#1)] Identity].

(* claim hidden-layers-scaled-permutation (equivalence), verdict true
   ... and on the data the first hidden layers are equal up to that permutation and positive rescaling *)
Theorem claim_1_hidden_layers_scaled_permutation : scaled_permutation_equiv npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs).
Proof. apply (scaled_permutation_true _ _ _ [1%nat; 2%nat; 0%nat] [(1#2); (3#1); (1#1)]); vm_compute; reflexivity. Qed.

(* claim hidden-layers-not-identical (identical), verdict false
   ... though not identical *)
Theorem claim_2_hidden_layers_not_identical : ~ mat_eq (acts net_0 1%nat inputs) (acts net_1 1%nat inputs).
Proof. apply mat_eq_false; vm_compute; reflexivity. Qed.

(* claim negative-scaling-changes-function (equal_functions), verdict false
   the scaling must be positive: rescaling a ReLU neuron by -1 changes the function *)
Theorem claim_3_negative_scaling_changes_function : ~ equal_on 3%nat [] net_0 net_2.
Proof. apply (functions_differ _ _ _ _ [(1#1); (0#1); (0#1)]); vm_compute; reflexivity. Qed.

(* claim dead-neuron-not-scaled-permutation (equivalence), verdict false
   ... by a change that is not a permutation and positive rescaling (on the data the hidden layers are not related by one) *)
Theorem claim_5_dead_neuron_not_scaled_permutation : ~ scaled_permutation_equiv npoints (acts net_3 1%nat inputs) (acts net_4 1%nat inputs).
Proof. apply (scaled_permutation_false _ _ _ 0%nat (row (acts net_3 1%nat inputs) 2%nat)); vm_compute; reflexivity. Qed.

