(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: CKA and subspace match disagree, in both directions *)
(* Claims proved: 5; skipped (not covered by the Coq library): 0. *)

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

(* network g *)
Definition net_2 : network := [mk_layer [[(0#1); (1#1)]; [(1#1); (-1#1)]] [(0#1); (0#1)] Identity].

(* network g_scaled *)
Definition net_3 : network := [mk_layer [[(0#1); (1#1)]; [(100#1); (-100#1)]] [(0#1); (0#1)] Identity].

(* claim part1-cka-high (cka), verdict true
   CKA between the hidden layers of f and f_tilde is exactly 1 *)
Theorem claim_0_part1_cka_high : cka_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim part1-no-match (no_match), verdict true
   ... yet their maximum match is empty *)
Theorem claim_1_part1_no_match : is_max_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [] [].
Proof. apply (max_match_true _ _ _ _ _ [(SX, 0%nat, [(1#1); (0#1); (0#1)]); (SX, 1%nat, [(1#1); (0#1); (0#1)]); (SY, 0%nat, [(0#1); (1#1); (0#1)]); (SY, 1%nat, [(0#1); (1#1); (0#1)])] [] []); vm_compute; reflexivity. Qed.

(* claim part2-full-match (match_similarity), verdict true
   g and g_scaled match completely at the hidden layer *)
Theorem claim_2_part2_full_match : match_similarity npoints ((0#1) * (0#1)) (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) (1#1).
Proof. apply (similarity_true _ _ _ _ [0%nat; 1%nat] [0%nat; 1%nat] [] [[(1#1); (0#1)]; [(0#1); (1#100)]] [[(1#1); (0#1)]; [(0#1); (100#1)]] _); vm_compute; reflexivity. Qed.

(* claim part2-linear (equivalence), verdict true
   ... indeed they are equal up to an invertible linear map *)
Theorem claim_3_part2_linear : linear_equiv npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs).
Proof. apply (linear_true _ _ _ [[(1#1); (0#1)]; [(0#1); (1#100)]] [[(1#1); (0#1)]; [(0#1); (100#1)]]); vm_compute; reflexivity. Qed.

(* claim part2-cka-low (cka), verdict true
   ... yet CKA between them is at most 1/3 *)
Theorem claim_4_part2_cka_low : cka_claim npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) None None (Some (1#3)).
Proof. apply cka_true; vm_compute; reflexivity. Qed.

