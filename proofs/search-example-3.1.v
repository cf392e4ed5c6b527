(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Johnson (2019), Example 3.1 corrected by symrep search on the printed data *)
(* Claims proved: 10; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(-1#1); (-1#1)]].
Definition npoints : nat := length inputs.

(* network f *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* network found *)
Definition net_1 : network := [mk_layer [[(-1#1); (0#1)]; [(0#1); (-1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* claim outputs-identical (identical), verdict true
   f and found have identical output activations on the data *)
Theorem claim_0_outputs_identical : mat_eq (acts net_0 2%nat inputs) (acts net_1 2%nat inputs).
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim outputs (activations), verdict true
   the output activations of f on the data (all zero) *)
Theorem claim_1_outputs : mat_eq (acts net_0 2%nat inputs) [[(0#1); (0#1)]; [(0#1); (0#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim outputs-match (exact_match), verdict true
   so the output layers match exactly (trivially: both are zero) *)
Theorem claim_2_outputs_match : is_match npoints (acts net_0 2%nat inputs) (acts net_1 2%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (match_true _ _ _ _ _ [[(0#1); (0#1)]; [(0#1); (0#1)]] [[(0#1); (0#1)]; [(0#1); (0#1)]]); vm_compute; reflexivity. Qed.

(* claim hidden-f (activations), verdict true
   the activation vectors of f at layer 1 *)
Theorem claim_3_hidden_f : mat_eq (acts net_0 1%nat inputs) [[(1#1); (0#1)]; [(1#1); (0#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim hidden-found (activations), verdict true
   the activation vectors of found at layer 1 *)
Theorem claim_4_hidden_found : mat_eq (acts net_1 1%nat inputs) [[(0#1); (1#1)]; [(0#1); (1#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim dimension-f (dimension), verdict true
   the span of f at layer 1 has dimension 1 *)
Theorem claim_5_dimension_f : dim_span npoints (acts net_0 1%nat inputs) 1%nat.
Proof. apply (dim_true _ _ _ [0%nat] [0%nat] [[(1#1)]] [[(1#1)]; [(1#1)]]); vm_compute; reflexivity. Qed.

(* claim dimension-found (dimension), verdict true
   the span of found at layer 1 has dimension 1 *)
Theorem claim_6_dimension_found : dim_span npoints (acts net_1 1%nat inputs) 1%nat.
Proof. apply (dim_true _ _ _ [0%nat] [1%nat] [[(1#1)]] [[(1#1)]; [(1#1)]]); vm_compute; reflexivity. Qed.

(* claim hidden-no-match (no_match), verdict true
   the maximum match at layer 1 is empty *)
Theorem claim_7_hidden_no_match : is_max_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [] [].
Proof. apply (max_match_true _ _ _ _ _ [(SX, 0%nat, [(1#1); (0#1)]); (SX, 1%nat, [(1#1); (0#1)]); (SY, 0%nat, [(0#1); (1#1)]); (SY, 1%nat, [(0#1); (1#1)])] [] []); vm_compute; reflexivity. Qed.

(* claim hidden-isomorphic (isomorphic), verdict true
   the spans at layer 1 are isomorphic (both of dimension 1) *)
Theorem claim_8_hidden_isomorphic : isomorphic npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs).
Proof. apply (iso_true _ _ _ 1%nat [0%nat] [0%nat] [[(1#1)]] [[(1#1)]; [(1#1)]] [0%nat] [1%nat] [[(1#1)]] [[(1#1)]; [(1#1)]]); vm_compute; reflexivity. Qed.

(* claim hidden-spans-equal (exact_match), verdict false
   ... but not equal: the whole layers 1 do not match *)
Theorem claim_9_hidden_spans_equal : ~ is_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (match_false _ _ _ _ _ (SX, 0%nat, [(1#1); (0#1)])); vm_compute; reflexivity. Qed.

