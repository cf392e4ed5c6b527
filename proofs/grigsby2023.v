(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Grigsby, Lindsey and Rolnick (2023): a hidden symmetry where the widths increase *)
(* Claims proved: 4; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(-2#1)]; [(-1#2)]; [(1#1)]; [(3#1)]].
Definition npoints : nat := length inputs.

(* network a *)
Definition net_0 : network := [mk_layer [[(1#1)]; [(-1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]] [(0#1)] Identity].

(* network b *)
Definition net_1 : network := [mk_layer [[(1#1)]; [(-1#1)]] [(1#1); (-1#1)] Relu; mk_layer [[(1#1); (-1#1)]] [(-1#1)] Identity].

(* claim same-function (equal_functions), verdict true
   a and b compute the same function (the identity x) on all of R *)
Theorem claim_0_same_function : equal_on 1%nat [] net_0 net_1.
Proof. apply (equal_functions_true _ _ _ _ (TNodeP false 0%nat (TNodeP false 1%nat (TEmpty [(1#1); (1#1)]) (TNodeP true 0%nat (TNodeP true 1%nat (TEmpty [(1#1); (0#1); (0#1); (1#1)]) (TLeaf [None]) [(1#1)]) (TEmpty [(1#1); (0#1); (1#1)]) [(1#1)]) [(1#1)]) (TNodeP false 1%nat (TNodeP true 0%nat (TNodeP true 1%nat (TEmpty [(0#1); (0#1); (1#1); (1#1)]) (TLeaf [None]) [(-1#2)]) (TNodeP true 1%nat (TLeaf [None]) (TEmpty [(0#1); (0#1); (1#1); (1#1)]) [(-2#1)]) [(-1#2)]) (TEmpty [(1#1); (1#1)]) [(-1#2)]) [(1#1)])); vm_compute; reflexivity. Qed.

(* claim hidden-symmetry (equivalence), verdict false
   ... yet their hidden layers are not related by a permutation and positive rescaling of neurons: a hidden symmetry *)
Theorem claim_1_hidden_symmetry : ~ scaled_permutation_equiv npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs).
Proof. apply (scaled_permutation_false _ _ _ 2%nat (row (acts net_0 1%nat inputs) 0%nat)); vm_compute; reflexivity. Qed.

(* claim outputs-identical (identical), verdict true
   ... and, of course, their outputs on the data are identical *)
Theorem claim_2_outputs_identical : mat_eq (acts net_0 2%nat inputs) (acts net_1 2%nat inputs).
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim hidden-spans-differ (exact_match), verdict false
   the hidden representations do not even span the same space on the data: b's neuron relu(-x - 1) = (1, 0, 0, 0) is not a combination of a's *)
Theorem claim_3_hidden_spans_differ : ~ is_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (match_false _ _ _ _ _ (SX, 0%nat, [(0#1); (-4#1); (1#1); (0#1)])); vm_compute; reflexivity. Qed.

