(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Wang et al. (2018): the structure of subspace matches, and their float code at exact ties *)
(* Claims proved: 12; skipped (not covered by the Coq library): 1.
   - simple-matches (simple_matches): kind 'simple_matches' is not covered by the Coq library *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]].
Definition npoints : nat := length inputs.

(* network a *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1)]] [(0#1); (0#1); (0#1); (0#1)] Identity].

(* network b *)
Definition net_1 : network := [mk_layer [[(1#1); (1#1); (0#1)]; [(1#1); (-1#1); (0#1)]; [(1#1); (0#1); (0#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network c *)
Definition net_2 : network := [mk_layer [[(1#1); (-5#1); (-4#1)]] [(0#1)] Identity].

(* network d *)
Definition net_3 : network := [mk_layer [[(1#1); (2#1); (3#1)]] [(0#1)] Identity].

(* network e *)
Definition net_4 : network := [mk_layer [[(-2#1); (-1#1); (0#1)]; [(-3#1); (-3#1); (-3#1)]] [(0#1); (0#1)] Identity].

(* network f *)
Definition net_5 : network := [mk_layer [[(-3#1); (-3#1); (-3#1)]; [(1#1); (2#1); (3#1)]] [(0#1); (0#1)] Identity].

(* claim maximum-match (maximum_match), verdict true
   there is a unique maximum match, here X* = {x0, x1, x2}, Y* = {y0, y1, y2} (the dead neuron x2 included) *)
Theorem claim_0_maximum_match : is_max_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat; 2%nat] [0%nat; 1%nat; 2%nat].
Proof. apply (max_match_true _ _ _ _ _ [(SX, 3%nat, [(0#1); (0#1); (1#1)])] [[(1#2); (1#2); (0#1)]; [(1#2); (-1#2); (0#1)]; [(0#1); (0#1); (0#1)]] [[(1#1); (1#1); (0#1)]; [(1#1); (-1#1); (0#1)]; [(1#1); (0#1); (0#1)]]); vm_compute; reflexivity. Qed.

(* claim match-m1 (exact_match), verdict true
   M1 = ({x0, x1}, {y0, y1}) is a match *)
Theorem claim_1_match_m1 : is_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (match_true _ _ _ _ _ [[(1#2); (1#2)]; [(1#2); (-1#2)]] [[(1#1); (1#1)]; [(1#1); (-1#1)]]); vm_compute; reflexivity. Qed.

(* claim match-m2 (exact_match), verdict true
   M2 = ({x0, x1}, {y0, y2}) is a match *)
Theorem claim_2_match_m2 : is_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat; 2%nat].
Proof. apply (match_true _ _ _ _ _ [[(0#1); (1#1)]; [(1#1); (-1#1)]] [[(1#1); (1#1)]; [(1#1); (0#1)]]); vm_compute; reflexivity. Qed.

(* claim union-is-a-match (exact_match), verdict true
   the union of two matches is a match: M1 ∪ M2 = ({x0, x1}, {y0, y1, y2}) *)
Theorem claim_3_union_is_a_match : is_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat; 2%nat].
Proof. apply (match_true _ _ _ _ _ [[(1#2); (1#2); (0#1)]; [(1#2); (-1#2); (0#1)]] [[(1#1); (1#1)]; [(1#1); (-1#1)]; [(1#1); (0#1)]]); vm_compute; reflexivity. Qed.

(* claim intersection-is-not (exact_match), verdict false
   the intersection of two matches need not be one: M1 ∩ M2 = ({x0, x1}, {y0}) is not a match *)
Theorem claim_4_intersection_is_not : ~ is_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat].
Proof. apply (match_false _ _ _ _ _ (SX, 0%nat, [(-1#1); (1#1); (0#1)])); vm_compute; reflexivity. Qed.

(* claim m1-is-simple (simple_match), verdict true
   M1 is simple: no non-empty match lies strictly inside it *)
Theorem claim_6_m1_is_simple : simple_match npoints ((0#1) * (0#1)) (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (simple_true _ _ _ _ _ _ [[(1#2); (1#2)]; [(1#2); (-1#2)]] [[(1#1); (1#1)]; [(1#1); (-1#1)]] (MX 0%nat) [((MX 1%nat), [(SY, 0%nat, [(0#1); (1#1); (0#1)]); (SY, 1%nat, [(0#1); (1#1); (0#1)]); (SX, 0%nat, [(1#1); (0#1); (0#1)])]); ((MY 0%nat), [(SX, 0%nat, [(1#1); (1#1); (0#1)]); (SX, 1%nat, [(1#1); (1#1); (0#1)]); (SY, 1%nat, [(1#1); (0#1); (0#1)])]); ((MY 1%nat), [(SX, 0%nat, [(-1#1); (1#1); (0#1)]); (SX, 1%nat, [(-1#1); (1#1); (0#1)]); (SY, 0%nat, [(1#1); (0#1); (0#1)])])]); vm_compute; reflexivity. Qed.

(* claim union-is-not-simple (simple_match), verdict false
   M1 ∪ M2 is not simple: it is the union of the simple matches M1 and ({x0}, {y2}) strictly inside it *)
Theorem claim_7_union_is_not_simple : ~ simple_match npoints ((0#1) * (0#1)) (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat; 2%nat].
Proof. apply (simple_parts _ _ _ _ _ _ [([], [], [], []); ([0%nat], [2%nat], [[(1#1)]], [[(1#1)]]); ([0%nat; 1%nat], [1%nat; 2%nat], [[(0#1); (1#1)]; [(-1#1); (1#1)]], [[(1#1); (-1#1)]; [(1#1); (0#1)]]); ([0%nat; 1%nat], [0%nat; 2%nat], [[(0#1); (1#1)]; [(1#1); (-1#1)]], [[(1#1); (1#1)]; [(1#1); (0#1)]]); ([0%nat; 1%nat], [0%nat; 1%nat], [[(1#2); (1#2)]; [(1#2); (-1#2)]], [[(1#1); (1#1)]; [(1#1); (-1#1)]])]); vm_compute; reflexivity. Qed.

(* claim tie-kept-at-eps (maximum_approx_match), verdict true
   at a tie (relative distance exactly eps = 1/2 both ways) the maximum eps-match keeps both neurons; the official float code returns an empty match *)
Theorem claim_8_tie_kept_at_eps : is_max_ematch npoints ((1#2) * (1#2)) (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) [0%nat] [0%nat].
Proof. apply (max_ematch_true _ _ _ _ _ _ [] [[(-3#2)]] [[(-1#2)]]); vm_compute; reflexivity. Qed.

(* claim tie-no-exact-match (no_match), verdict true
   ... while at eps = 0 x and y do not match at all (they are not parallel) *)
Theorem claim_9_tie_no_exact_match : is_max_match npoints (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) [] [].
Proof. apply (max_match_true _ _ _ _ _ [(SX, 0%nat, [(-2#1); (1#1); (0#1)]); (SY, 0%nat, [(1#1); (0#1); (0#1)])] [] []); vm_compute; reflexivity. Qed.

(* claim tie-not-a-match-just-below (approx_match), verdict false
   ... ({x}, {y}) is not a 0.4999-approximate match *)
Theorem claim_10_tie_not_a_match_just_below : ~ is_ematch npoints ((4999#10000) * (4999#10000)) (acts net_2 1%nat inputs) (acts net_3 1%nat inputs) [0%nat] [0%nat].
Proof. apply (ematch_false _ _ _ _ _ _ (SX, 0%nat, [(5#1); (-4#1); (1#1)])); vm_compute; reflexivity. Qed.

(* claim eps-zero-full-match (maximum_match), verdict true
   at eps = 0 the maximum match of e and f is everything (x0 = y0 + y1, x1 = y0); the float code drops x0 (residual about 5e-16) *)
Theorem claim_11_eps_zero_full_match : is_max_match npoints (acts net_4 1%nat inputs) (acts net_5 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (max_match_true _ _ _ _ _ [] [[(1#1); (1#1)]; [(1#1); (0#1)]] [[(0#1); (1#1)]; [(1#1); (-1#1)]]); vm_compute; reflexivity. Qed.

(* claim eps-zero-similarity-one (match_similarity), verdict true
   ... so the match similarity is exactly 1 *)
Theorem claim_12_eps_zero_similarity_one : match_similarity npoints ((0#1) * (0#1)) (acts net_4 1%nat inputs) (acts net_5 1%nat inputs) (1#1).
Proof. apply (similarity_true _ _ _ _ [0%nat; 1%nat] [0%nat; 1%nat] [] [[(1#1); (1#1)]; [(1#1); (0#1)]] [[(0#1); (1#1)]; [(1#1); (-1#1)]] _); vm_compute; reflexivity. Qed.

