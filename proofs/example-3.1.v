(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Johnson (2019), Example 3.1: every printed statement, checked exactly *)
(* Claims proved: 23; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(-1#1); (-1#1)]].
Definition npoints : nat := length inputs.

(* network f *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* network f_tilde *)
Definition net_1 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (-1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* network f_relu_out *)
Definition net_2 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Relu].

(* network f_tilde_relu_out *)
Definition net_3 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (-1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Relu].

(* network f_corrected *)
Definition net_4 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* network f_tilde_corrected *)
Definition net_5 : network := [mk_layer [[(-1#1); (0#1)]; [(0#1); (-1#1)]] [(0#1); (0#1)] Relu; mk_layer [[(1#1); (-1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* claim printed-hidden-f (activations), verdict false
   for f_{W(1)}, the set of activation vectors is {[1, 1]^T, [1, 1]^T} *)
Theorem claim_0_printed_hidden_f : ~ mat_eq (acts net_0 1%nat inputs) [[(1#1); (1#1)]; [(1#1); (1#1)]].
Proof. apply mat_eq_false; vm_compute; reflexivity. Qed.

(* claim printed-hidden-f_tilde (activations), verdict false
   for f_{W~(1)} the set is {[1, 0]^T, [1, 0]^T} *)
Theorem claim_1_printed_hidden_f_tilde : ~ mat_eq (acts net_1 1%nat inputs) [[(1#1); (0#1)]; [(1#1); (0#1)]].
Proof. apply mat_eq_false; vm_compute; reflexivity. Qed.

(* claim printed-outputs-identical (identical), verdict false
   the activation vectors for the neurons at the output layer are identical *)
Theorem claim_2_printed_outputs_identical : ~ mat_eq (acts net_0 2%nat inputs) (acts net_1 2%nat inputs).
Proof. apply mat_eq_false; vm_compute; reflexivity. Qed.

(* claim printed-outputs-identical-relu-out (identical), verdict false
   the same, reading the output layer as post-ReLU *)
Theorem claim_3_printed_outputs_identical_relu_out : ~ mat_eq (acts net_2 2%nat inputs) (acts net_3 2%nat inputs).
Proof. apply mat_eq_false; vm_compute; reflexivity. Qed.

(* claim printed-output-f-zero (activations), verdict true
   (the zero vector at each neuron) -- for f *)
Theorem claim_4_printed_output_f_zero : mat_eq (acts net_0 2%nat inputs) [[(0#1); (0#1)]; [(0#1); (0#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim printed-output-f_tilde-zero (activations), verdict false
   (the zero vector at each neuron) -- for f~ *)
Theorem claim_5_printed_output_f_tilde_zero : ~ mat_eq (acts net_1 2%nat inputs) [[(0#1); (0#1)]; [(0#1); (0#1)]].
Proof. apply mat_eq_false; vm_compute; reflexivity. Qed.

(* claim printed-no-hidden-match (no_match), verdict false
   no subspace match at the hidden layer *)
Theorem claim_6_printed_no_hidden_match : ~ is_max_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [] [].
Proof. apply (max_match_false _ _ _ [0%nat; 1%nat] [0%nat] [(SY, 1%nat, [(0#1); (1#1)])] [[(1#1)]; [(1#1)]] [[(1#1); (0#1)]] _ _); vm_compute; reflexivity. Qed.

(* claim printed-hidden-isomorphic (isomorphic), verdict false
   the activation vectors at that layer span isomorphic subspaces of R^2: both are lines *)
Theorem claim_7_printed_hidden_isomorphic : ~ isomorphic npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs).
Proof. apply (iso_false _ _ _ 1%nat 2%nat [0%nat] [0%nat] [[(1#1)]] [[(1#1)]; [(1#1)]] [0%nat; 1%nat] [0%nat; 1%nat] [[(1#1); (0#1)]; [(0#1); (1#1)]] [[(1#1); (0#1)]; [(0#1); (1#1)]]); vm_compute; reflexivity. Qed.

(* claim exact-hidden-f (activations), verdict true
   the hidden activation vectors of f are [1, 0] and [1, 0] *)
Theorem claim_8_exact_hidden_f : mat_eq (acts net_0 1%nat inputs) [[(1#1); (0#1)]; [(1#1); (0#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim exact-hidden-f_tilde (activations), verdict true
   the hidden activation vectors of f~ are [1, 0] and [0, 1] *)
Theorem claim_9_exact_hidden_f_tilde : mat_eq (acts net_1 1%nat inputs) [[(1#1); (0#1)]; [(0#1); (1#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim exact-output-f_tilde (activations), verdict true
   f~ outputs [1, -1] at both output neurons (identity output) *)
Theorem claim_10_exact_output_f_tilde : mat_eq (acts net_1 2%nat inputs) [[(1#1); (-1#1)]; [(1#1); (-1#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim exact-hidden-dimensions-f (dimension), verdict true
   the hidden span of f is a line *)
Theorem claim_11_exact_hidden_dimensions_f : dim_span npoints (acts net_0 1%nat inputs) 1%nat.
Proof. apply (dim_true _ _ _ [0%nat] [0%nat] [[(1#1)]] [[(1#1)]; [(1#1)]]); vm_compute; reflexivity. Qed.

(* claim exact-hidden-dimensions-f_tilde (dimension), verdict true
   the hidden span of f~ is the whole plane *)
Theorem claim_12_exact_hidden_dimensions_f_tilde : dim_span npoints (acts net_1 1%nat inputs) 2%nat.
Proof. apply (dim_true _ _ _ [0%nat; 1%nat] [0%nat; 1%nat] [[(1#1); (0#1)]; [(0#1); (1#1)]] [[(1#1); (0#1)]; [(0#1); (1#1)]]); vm_compute; reflexivity. Qed.

(* claim exact-hidden-maximum-match (maximum_match), verdict true
   the maximum hidden match is X* = {0, 1}, Y* = {0}: similarity 3/4, not 0 *)
Theorem claim_13_exact_hidden_maximum_match : is_max_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat].
Proof. apply (max_match_true _ _ _ _ _ [(SY, 1%nat, [(0#1); (1#1)])] [[(1#1)]; [(1#1)]] [[(1#1); (0#1)]]); vm_compute; reflexivity. Qed.

(* claim corrected-outputs-identical (identical), verdict true
   with W1~ = -I the outputs are identical (both zero) *)
Theorem claim_14_corrected_outputs_identical : mat_eq (acts net_4 2%nat inputs) (acts net_5 2%nat inputs).
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim corrected-hidden-f_tilde (activations), verdict true
   with W1~ = -I the hidden vectors of f~ are [0, 1] and [0, 1] *)
Theorem claim_15_corrected_hidden_f_tilde : mat_eq (acts net_5 1%nat inputs) [[(0#1); (1#1)]; [(0#1); (1#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim corrected-no-hidden-match (no_match), verdict true
   with W1~ = -I there is no subspace match at the hidden layer *)
Theorem claim_16_corrected_no_hidden_match : is_max_match npoints (acts net_4 1%nat inputs) (acts net_5 1%nat inputs) [] [].
Proof. apply (max_match_true _ _ _ _ _ [(SX, 0%nat, [(1#1); (0#1)]); (SX, 1%nat, [(1#1); (0#1)]); (SY, 0%nat, [(0#1); (1#1)]); (SY, 1%nat, [(0#1); (1#1)])] [] []); vm_compute; reflexivity. Qed.

(* claim corrected-hidden-isomorphic (isomorphic), verdict true
   with W1~ = -I both hidden spans are lines, hence isomorphic *)
Theorem claim_17_corrected_hidden_isomorphic : isomorphic npoints (acts net_4 1%nat inputs) (acts net_5 1%nat inputs).
Proof. apply (iso_true _ _ _ 1%nat [0%nat] [0%nat] [[(1#1)]] [[(1#1)]; [(1#1)]] [0%nat] [1%nat] [[(1#1)]] [[(1#1)]; [(1#1)]]); vm_compute; reflexivity. Qed.

(* claim corrected-hidden-not-equal (exact_match), verdict false
   ... yet not equal: the whole hidden layers do not match *)
Theorem claim_18_corrected_hidden_not_equal : ~ is_match npoints (acts net_4 1%nat inputs) (acts net_5 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (match_false _ _ _ _ _ (SX, 0%nat, [(1#1); (0#1)])); vm_compute; reflexivity. Qed.

(* claim printed-functions-differ (equal_functions), verdict false
   f = h o g = h~ o g~ as maps: f and f~ compute the same function *)
Theorem claim_19_printed_functions_differ : ~ equal_on 2%nat [] net_0 net_1.
Proof. apply (functions_differ _ _ _ _ [(0#1); (1#1)]); vm_compute; reflexivity. Qed.

(* claim printed-functions-differ-on-the-data-line (equal_functions), verdict false
   ... not even on the line x0 = x1 through both data points *)
Theorem claim_20_printed_functions_differ_on_the_data_lin : ~ equal_on 2%nat [(Eqc [(1#1); (-1#1)] (0#1))] net_0 net_1.
Proof. apply (functions_differ _ _ _ _ [(1#1); (1#1)]); vm_compute; reflexivity. Qed.

(* claim corrected-functions-agree-on-the-data-line (equal_functions), verdict true
   with W1~ = -I the two networks agree on the whole line x0 = x1 through the data ... *)
Theorem claim_21_corrected_functions_agree_on_the_data_li : equal_on 2%nat [(Eqc [(1#1); (-1#1)] (0#1))] net_4 net_5.
Proof. apply (equal_functions_true _ _ _ _ (TNodeP false 0%nat (TNodeP false 1%nat (TNodeP true 0%nat (TEmpty [(0#1); (1#1); (0#1); (1#1)]) (TNodeP true 1%nat (TEmpty [(0#1); (0#1); (1#1); (0#1); (1#1)]) (TLeaf [(Some ([(1#1); (0#1); (0#1); (0#1); (0#1); (1#1)], [(-1#1); (0#1); (0#1); (0#1); (0#1); (1#1)])); (Some ([(1#1); (0#1); (0#1); (0#1); (0#1); (1#1)], [(-1#1); (0#1); (0#1); (0#1); (0#1); (1#1)]))]) [(1#1); (1#1)]) [(1#1); (1#1)]) (TEmpty [(1#2); (1#2); (1#2)]) [(1#1); (1#1)]) (TNodeP false 1%nat (TEmpty [(-1#2); (1#2); (1#2)]) (TNodeP true 0%nat (TNodeP true 1%nat (TLeaf [(Some ([(1#1); (0#1); (0#1); (0#1); (0#1); (1#1)], [(-1#1); (0#1); (0#1); (0#1); (0#1); (1#1)])); (Some ([(1#1); (0#1); (0#1); (0#1); (0#1); (1#1)], [(-1#1); (0#1); (0#1); (0#1); (0#1); (1#1)]))]) (TEmpty [(0#1); (0#1); (1#1); (0#1); (1#1)]) [(-1#1); (-1#1)]) (TEmpty [(0#1); (1#1); (0#1); (1#1)]) [(-1#1); (-1#1)]) [(-1#1); (-1#1)]) [(1#1); (1#1)])); vm_compute; reflexivity. Qed.

(* claim corrected-functions-differ-elsewhere (equal_functions), verdict false
   ... but not as functions on R^2: the factorizations agree on the data, not as maps *)
Theorem claim_22_corrected_functions_differ_elsewhere : ~ equal_on 2%nat [] net_4 net_5.
Proof. apply (functions_differ _ _ _ _ [(1#1); (0#1)]); vm_compute; reflexivity. Qed.

