(* Exported by `symrep coq` from a symrep parametric certificate (docs/parametric.md). Every theorem
   below states one claim about a family of networks with the definitions of coq/Symrep.v and
   coq/Parametric.v (the parameters range over the rationals) and proves it from the certificate.
   Title: Davari et al. (2022): one translated outlier drives CKA to its limit (parametric) *)
(* Claims proved: 5; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep Parametric.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(0#1); (0#1); (0#1)]; [(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(1#1); (1#1); (0#1)]; [(1#2); (1#2); (1#1)]].
Definition npoints : nat := length inputs.

(* network 0 *)
Definition pnet_0 : pnetwork := [mk_player [[EC (1#1); EC (0#1); EC (0#1)]; [EC (0#1); EC (1#1); EC (0#1)]] [EC (0#1); EC (0#1)] Identity].
Definition net_0 : network := inst pnet_0 0.

(* network 1 *)
Definition pnet_1 : pnetwork := [mk_player [[EC (1#1); EC (0#1); EC (1#1)]; [EC (0#1); EC (1#1); EC (0#1)]] [EC (0#1); EC (0#1)] Identity].
Definition net_1 : network := inst pnet_1 0.

(* network 2, a function of the parameter s *)
Definition pnet_2 : pnetwork := [mk_player [[EC (1#1); EC (0#1); ER [(1000#1); (1#1)] [(1#1)]]; [EC (0#1); EC (1#1); EC (0#1)]] [EC (0#1); EC (0#1)] Identity].
Definition net_2 (x : Q) : network := inst pnet_2 x.
Definition dens_2 : list poly := [].

(* claim outlier-cka-at-most-one (cka), verdict true: for every admissible rational value of the parameter s
   CKA(f, g) <= 1 for every shift (equality only without shift) *)
Theorem claim_0_outlier_cka_at_most_one : forall t : Q, admissible Real (dens_2) t -> cka_claim npoints (acts net_0 1%nat inputs) (acts (net_2 t) 1%nat inputs) None None (Some (1#1)).
Proof. apply (on_all Real (dens_2) (fun t => cka_claim npoints (acts net_0 1%nat inputs) (acts (net_2 t) 1%nat inputs) None None (Some (1#1)))); cbn [start stop];
  apply (on_split _ _ _ (-1000#1)); [intros t Hs _; change (cka_claim npoints (acts (inst pnet_0 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) None None (Some (1#1))); apply (cka_on _ npoints pnet_0 pnet_2 1%nat inputs None None (Some (1#1)) t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_claim npoints (acts (inst pnet_0 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) None None (Some (1#1))); apply (cka_on _ npoints pnet_0 pnet_2 1%nat inputs None None (Some (1#1)) t Hs); vm_compute; reflexivity |
  intros t Hs _; change (cka_claim npoints (acts (inst pnet_0 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) None None (Some (1#1))); apply (cka_on _ npoints pnet_0 pnet_2 1%nat inputs None None (Some (1#1)) t Hs); vm_compute; reflexivity].
Qed.

(* claim outlier-cka-at-least-half (cka), verdict false: not for every admissible value (t is the parameter s)
   CKA(f, g) >= 1/2 for every shift: false, it holds exactly on a closed interval around s = -1000 with quartic ends *)
Theorem claim_1_outlier_cka_at_least_half : exists t : Q, admissible Real (dens_2) t /\ (~ cka_claim npoints (acts net_0 1%nat inputs) (acts (net_2 t) 1%nat inputs) None (Some (1#2)) None).
Proof. exists ((-1003#1)); split; [apply admissible_true; vm_compute; reflexivity | apply cka_false; vm_compute; reflexivity]. Qed.

(* claim outlier-cka-small-far-out (cka), verdict false: not for every admissible value (t is the parameter s)
   CKA(f, g) <= 1/100 for every shift: false, it holds exactly on two rays (CKA^2 -> 0 as |s| grows) *)
Theorem claim_2_outlier_cka_small_far_out : exists t : Q, admissible Real (dens_2) t /\ (~ cka_claim npoints (acts net_0 1%nat inputs) (acts (net_2 t) 1%nat inputs) None None (Some (1#100))).
Proof. exists ((-988#1)); split; [apply admissible_true; vm_compute; reflexivity | apply cka_false; vm_compute; reflexivity]. Qed.

(* claim outlier-in-both-cka-at-least-half (cka), verdict false: not for every admissible value (t is the parameter s)
   CKA(f2, g) >= 1/2 for every shift: false; CKA^2 -> 8/53 as s -> -oo and s -> oo *)
Theorem claim_3_outlier_in_both_cka_at_least_half : exists t : Q, admissible Real (dens_2) t /\ (~ cka_claim npoints (acts net_1 1%nat inputs) (acts (net_2 t) 1%nat inputs) None (Some (1#2)) None).
Proof. exists ((-1002#1)); split; [apply admissible_true; vm_compute; reflexivity | apply cka_false; vm_compute; reflexivity]. Qed.

(* claim outlier-in-both-cka-above-limit (cka), verdict true: for every admissible rational value of the parameter s
   CKA(f2, g)^2 >= 1/100 for every shift (it tends to 8/53, never to 0) *)
Theorem claim_4_outlier_in_both_cka_above_limit : forall t : Q, admissible Real (dens_2) t -> cka_surd_claim npoints (acts net_1 1%nat inputs) (acts (net_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None.
Proof. apply (on_all Real (dens_2) (fun t => cka_surd_claim npoints (acts net_1 1%nat inputs) (acts (net_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None)); cbn [start stop];
  apply (on_split _ _ _ (-1024#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-1008#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-1004#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-1002#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-1000#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-992#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-960#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-896#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-768#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-512#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-256#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-128#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-64#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-32#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-16#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-8#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-4#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-2#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (-1#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  apply (on_split _ _ _ (0#1)); [intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
    intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity |
  intros t Hs _; change (cka_surd_claim npoints (acts (inst pnet_1 t) 1%nat inputs) (acts (inst pnet_2 t) 1%nat inputs) true None (Some ((1#100), (1#1))) None); apply (cka_surd_on _ npoints pnet_1 pnet_2 1%nat inputs true None (Some ((1#100), (1#1))) None t Hs); vm_compute; reflexivity]]]]]]]]]]]]]]]]]]]].
Qed.

