(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Williams et al. (2021): 1 - CKA is not a metric, its angular form is *)
(* Claims proved: 6; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(1#1); (-1#1)]; [(-1#1); (1#1)]; [(-1#1); (-1#1)]].
Definition npoints : nat := length inputs.

(* network x *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1)]] [(0#1)] Identity].

(* network y *)
Definition net_1 : network := [mk_layer [[(4#1); (3#1)]] [(0#1)] Identity].

(* network z *)
Definition net_2 : network := [mk_layer [[(7#1); (24#1)]] [(0#1)] Identity].

(* claim cka-xy (cka), verdict true
   CKA(x, y) = 16/25 *)
Theorem claim_0_cka_xy : cka_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (Some (16#25)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cka-yz (cka), verdict true
   CKA(y, z) = 16/25 *)
Theorem claim_1_cka_yz : cka_claim npoints (acts net_1 1%nat inputs) (acts net_2 1%nat inputs) (Some (16#25)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cka-xz (cka), verdict true
   CKA(x, z) = 49/625 *)
Theorem claim_2_cka_xz : cka_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (Some (49#625)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim one-minus-cka-not-a-metric (triangle), verdict false
   1 - CKA violates the triangle inequality: 1 - CKA(x, z) = 576/625 > (1 - CKA(x, y)) + (1 - CKA(y, z)) = 18/25 *)
Theorem claim_3_one_minus_cka_not_a_metric : triangle_claim npoints (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) (QCka (acts net_1 1%nat inputs) (acts net_2 1%nat inputs)) (QCka (acts net_0 1%nat inputs) (acts net_2 1%nat inputs)) false false.
Proof. apply (triangle_true _ _ WNone _ WNone _ WNone _ _ (16#25) (16#25) (49#625)); vm_compute; reflexivity. Qed.

(* claim arccos-cka-triangle (triangle), verdict true
   arccos CKA satisfies it on the same three representations *)
Theorem claim_4_arccos_cka_triangle : surd_triangle_claim npoints TArccos (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) (QCka (acts net_1 1%nat inputs) (acts net_2 1%nat inputs)) (QCka (acts net_0 1%nat inputs) (acts net_2 1%nat inputs)) false true.
Proof. apply (surd_triangle_true _ _ _ WNone _ WNone _ WNone _ _ 0%nat ((0#1), (0#1), (0#1), (0#1))); vm_compute; reflexivity. Qed.

(* claim arccos-cka-strict (triangle), verdict false
   ... strictly: arccos CKA(x, z) < arccos CKA(x, y) + arccos CKA(y, z) *)
Theorem claim_5_arccos_cka_strict : surd_triangle_claim npoints TArccos (QCka (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) (QCka (acts net_1 1%nat inputs) (acts net_2 1%nat inputs)) (QCka (acts net_0 1%nat inputs) (acts net_2 1%nat inputs)) true false.
Proof. apply (surd_triangle_true _ _ _ WNone _ WNone _ WNone _ _ 1%nat ((9#16), (1#16), (7#16), (0#1))); vm_compute; reflexivity. Qed.

