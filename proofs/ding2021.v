(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Ding et al. (2021): CKA barely sees a deleted low-variance principal component that the function uses *)
(* Claims proved: 6; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(1#1); (-1#1)]; [(-1#1); (1#1)]; [(-1#1); (-1#1)]].
Definition npoints : nat := length inputs.

(* network a *)
Definition net_0 : network := [mk_layer [[(60#1); (-4#5)]; [(80#1); (3#5)]] [(0#1); (0#1)] Identity; mk_layer [[(-4#5); (3#5)]] [(0#1)] Identity].

(* network a_deleted *)
Definition net_1 : network := [mk_layer [[(60#1); (0#1)]; [(80#1); (0#1)]] [(0#1); (0#1)] Identity; mk_layer [[(-4#5); (3#5)]] [(0#1)] Identity].

(* claim cka-value (cka), verdict true
   CKA^2(X, X') = 10^8 / (10^8 + 1) *)
Theorem claim_0_cka_value : cka_surd_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) true (Some ((100000000#100000001), (1#1))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim cka-barely-moves (cka), verdict true
   CKA is insensitive to deleting a low-variance principal component: CKA(X, X') >= 1 - 10^-8 *)
Theorem claim_1_cka_barely_moves : cka_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) None (Some (99999999#100000000)) None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim function-changed (identical), verdict false
   ... although the readout that uses that component now outputs something else on every point *)
Theorem claim_2_function_changed : ~ mat_eq (acts net_0 2%nat inputs) (acts net_1 2%nat inputs).
Proof. apply mat_eq_false; vm_compute; reflexivity. Qed.

(* claim deleted-outputs-zero (activations), verdict true
   ... indeed the deleted network outputs 0 everywhere on the data (and a outputs (1, -1, 1, -1)) *)
Theorem claim_3_deleted_outputs_zero : mat_eq (acts net_1 2%nat inputs) [[(0#1); (0#1); (0#1); (0#1)]].
Proof. apply mat_eq_true; vm_compute; reflexivity. Qed.

(* claim exact-match-sees-it (no_match), verdict true
   exact subspace match sees the change: the maximum match of X and X' is empty *)
Theorem claim_4_exact_match_sees_it : is_max_match npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) [] [].
Proof. apply (max_match_true _ _ _ _ _ [(SX, 0%nat, [(-1#1); (1#1); (0#1); (0#1)]); (SX, 1%nat, [(-1#1); (1#1); (0#1); (0#1)]); (SY, 0%nat, [(1#1); (0#1); (0#1); (0#1)]); (SY, 1%nat, [(1#1); (0#1); (0#1); (0#1)])] [] []); vm_compute; reflexivity. Qed.

(* claim match-at-one-tenth-does-not (match_similarity), verdict true
   ... but at eps = 1/10 (Wang et al.'s range) the match is complete again, similarity 1 *)
Theorem claim_5_match_at_one_tenth_does_not : match_similarity npoints ((1#10) * (1#10)) (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (1#1).
Proof. apply (similarity_true _ _ _ _ [0%nat; 1%nat] [0%nat; 1%nat] [] [[(1#1); (0#1)]; [(4#3); (0#1)]] [[(9#25); (12#25)]; [(12#25); (16#25)]] _); vm_compute; reflexivity. Qed.

