(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Johnson (2019), Example 3.1 corrected with non-zero outputs *)
(* Claims proved: 8; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(-1#1); (-1#1)]; [(1#1); (0#1)]].
Definition npoints : nat := length inputs.

(* network f *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* network f_tilde *)
Definition net_1 : network := [mk_layer [[(1#1); (-2#1)]; [(0#1); (-1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* claim outputs (activations), verdict true
   f outputs [0, 0, 1] at both output neurons: not all zero *)
Theorem claim_0_outputs : mat_eq (acts net_0 2%nat inputs) [[(0#1); (0#1); (1#1)]; [(0#1); (0#1); (1#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim outputs-identical (identical), verdict true
   f and f~ have identical output activation vectors *)
Theorem claim_1_outputs_identical : mat_eq (acts net_0 2%nat inputs) (acts net_1 2%nat inputs).
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim outputs-match (exact_match), verdict true
   so the output layers match exactly *)
Theorem claim_2_outputs_match : is_match npoints (acts net_0 2%nat inputs) (acts net_1 2%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (match_true _ _ _ _ _ [[(1#1); (0#1)]; [(1#1); (0#1)]] [[(1#1); (0#1)]; [(1#1); (0#1)]]); vm_compute; reflexivity. Qed.

(* claim hidden-f (activations), verdict true
    *)
Theorem claim_3_hidden_f : mat_eq (acts net_0 1%nat inputs) [[(1#1); (0#1); (1#1)]; [(1#1); (0#1); (0#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim hidden-f_tilde (activations), verdict true
    *)
Theorem claim_4_hidden_f_tilde : mat_eq (acts net_1 1%nat inputs) [[(0#1); (1#1); (1#1)]; [(0#1); (1#1); (0#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim no-hidden-match (no_match), verdict true
   the maximum match at the hidden layer is empty *)
Theorem claim_5_no_hidden_match : is_max_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [] [].
Proof. apply (max_match_true _ _ _ _ _ [(SX, 0%nat, [(1#1); (0#1); (0#1)]); (SX, 1%nat, [(1#1); (0#1); (0#1)]); (SY, 0%nat, [(0#1); (1#1); (0#1)]); (SY, 1%nat, [(0#1); (1#1); (0#1)])] [] []); vm_compute; reflexivity. Qed.

(* claim hidden-isomorphic (isomorphic), verdict true
   the hidden spans are isomorphic (both planes) *)
Theorem claim_6_hidden_isomorphic : isomorphic npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs).
Proof. apply (iso_true _ _ _ 2%nat [0%nat; 1%nat] [0%nat; 2%nat] [[(0#1); (1#1)]; [(1#1); (-1#1)]] [[(1#1); (0#1)]; [(0#1); (1#1)]] [0%nat; 1%nat] [1%nat; 2%nat] [[(0#1); (1#1)]; [(1#1); (-1#1)]] [[(1#1); (0#1)]; [(0#1); (1#1)]]); vm_compute; reflexivity. Qed.

(* claim hidden-dimension (dimension), verdict true
    *)
Theorem claim_7_hidden_dimension : dim_span npoints (acts net_1 1%nat inputs) 2%nat.
Proof. apply (dim_true _ _ _ [0%nat; 1%nat] [1%nat; 2%nat] [[(0#1); (1#1)]; [(1#1); (-1#1)]] [[(1#1); (0#1)]; [(0#1); (1#1)]]); vm_compute; reflexivity. Qed.

