(* Exported by `symrep coq` from a symrep parametric certificate (docs/parametric.md). Every theorem
   below states one claim about a family of networks with the definitions of coq/Symrep.v and
   coq/Parametric.v (the parameters range over the rationals) and proves it from the certificate.
   Title: Families of networks: one-parameter claims decided exactly, with certificates *)
(* Claims proved: 11; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep Parametric.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(-1#1); (-1#1)]].
Definition npoints : nat := length inputs.

(* network 0 *)
Definition pnet_0 : pnetwork := [mk_player [[EC (1#1); EC (0#1)]; [EC (0#1); EC (1#1)]] [EC (0#1); EC (0#1)] Relu; mk_player [[EC (1#1); EC (-1#1)]; [EC (1#1); EC (-1#1)]] [EC (0#1); EC (0#1)] Identity].
Definition net_0 : network := inst pnet_0 0.

(* network 1, a function of the parameter r *)
Definition pnet_1 : pnetwork := [mk_player [[ER [(0#1); (1#1)] [(1#1)]; EC (0#1)]; [EC (0#1); ER [(0#1); (1#1)] [(1#1)]]] [EC (0#1); EC (0#1)] Relu; mk_player [[ER [(1#1)] [(0#1); (1#1)]; ER [(-1#1)] [(0#1); (1#1)]]; [ER [(1#1)] [(0#1); (1#1)]; ER [(-1#1)] [(0#1); (1#1)]]] [EC (0#1); EC (0#1)] Identity].
Definition net_1 (x : Q) : network := inst pnet_1 x.
Definition dens_1 : list poly := [[(0#1); (1#1)]].

(* network 2, a function of the parameter s *)
Definition pnet_2 : pnetwork := [mk_player [[ER [(0#1); (1#1)] [(1#1)]; EC (0#1)]; [EC (0#1); ER [(0#1); (1#1)] [(1#1)]]] [EC (0#1); EC (0#1)] Relu; mk_player [[ER [(1#1)] [(0#1); (1#1)]; ER [(-1#1)] [(0#1); (1#1)]]; [ER [(1#1)] [(0#1); (1#1)]; ER [(-1#1)] [(0#1); (1#1)]]] [EC (0#1); EC (0#1)] Identity].
Definition net_2 (x : Q) : network := inst pnet_2 x.
Definition dens_2 : list poly := [[(0#1); (1#1)]].

(* network 3, a function of the parameter t *)
Definition pnet_3 : pnetwork := [mk_player [[EC (1#1); EC (0#1)]; [EC (0#1); ER [(0#1); (1#1)] [(1#1)]]] [EC (0#1); EC (0#1)] Relu; mk_player [[EC (1#1); EC (-1#1)]; [EC (1#1); EC (-1#1)]] [EC (0#1); EC (0#1)] Identity].
Definition net_3 (x : Q) : network := inst pnet_3 x.
Definition dens_3 : list poly := [].

(* network 4, a function of the parameter a *)
Definition pnet_4 : pnetwork := [mk_player [[EC (1#1); EC (0#1)]] [ER [(0#1); (1#1)] [(1#1)]] Relu].
Definition net_4 (x : Q) : network := inst pnet_4 x.
Definition dens_4 : list poly := [].

(* network 5, a function of the parameter b *)
Definition pnet_5 : pnetwork := [mk_player [[EC (1#1); EC (0#1)]] [ER [(0#1); (1#1)] [(1#1)]] Relu].
Definition net_5 (x : Q) : network := inst pnet_5 x.
Definition dens_5 : list poly := [].

(* claim rescaling-functions-equal (equal_functions), verdict true: for every admissible rational value of the parameter r
   for every r > 0 the rescaled network computes the same function (a positive ReLU symmetry) *)
Theorem claim_0_rescaling_functions_equal : forall t : Q, admissible Positive (dens_1) t -> equal_on 2%nat [] net_0 (net_1 t).
Proof. apply (on_all Positive (dens_1) (fun t => equal_on 2%nat [] net_0 (net_1 t))); cbn [start stop];
  intros t Hs _; change (equal_on 2%nat [] (inst pnet_0 t) (inst pnet_1 t)); apply (sym_equal_on _ 2%nat [] pnet_1 pnet_0 [[([(0#1); (1#1)], [(1#1)]); ([(0#1); (1#1)], [(1#1)])]; [([(1#1)], [(1#1)]); ([(1#1)], [(1#1)])]] t Hs); vm_compute; reflexivity.
Qed.

(* claim rescaling-hidden-exact-match (exact_match), verdict true: for every admissible rational value of the parameter r
   for every r > 0 the hidden spans match exactly *)
Theorem claim_1_rescaling_hidden_exact_match : forall t : Q, admissible Positive (dens_1) t -> is_match npoints (acts net_0 1%nat inputs) (acts (net_1 t) 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat].
Proof. apply (on_all Positive (dens_1) (fun t => is_match npoints (acts net_0 1%nat inputs) (acts (net_1 t) 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat])); cbn [start stop];
  intros t Hs _; change (is_match npoints (acts (inst pnet_0 t) 1%nat inputs) (acts (inst pnet_1 t) 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat]); apply (match_on _ npoints pnet_0 pnet_1 1%nat inputs [0%nat; 1%nat] [0%nat; 1%nat] [[([(1#1)], [(0#1); (1#1)]); ([(0#1)], [(1#1)])]; [([(1#1)], [(0#1); (1#1)]); ([(0#1)], [(1#1)])]] [[([(0#1); (1#1)], [(1#1)]); ([(0#1)], [(1#1)])]; [([(0#1); (1#1)], [(1#1)]); ([(0#1)], [(1#1)])]] t Hs); vm_compute; reflexivity.
Qed.

(* claim rescaling-outputs-identical (identical), verdict true: for every admissible rational value of the parameter r
   for every r > 0 the outputs are identical on the data *)
Theorem claim_2_rescaling_outputs_identical : forall t : Q, admissible Positive (dens_1) t -> mat_eq (acts net_0 2%nat inputs) (acts (net_1 t) 2%nat inputs).
Proof. apply (on_all Positive (dens_1) (fun t => mat_eq (acts net_0 2%nat inputs) (acts (net_1 t) 2%nat inputs))); cbn [start stop];
  intros t Hs _; change (mat_eq (acts (inst pnet_0 t) 2%nat inputs) (acts (inst pnet_1 t) 2%nat inputs)); apply (mat_eq_on _ pnet_0 pnet_1 2%nat 2%nat inputs t Hs); vm_compute; reflexivity.
Qed.

(* claim rescaling-real-functions-equal (equal_functions), verdict false: not for every admissible value (t is the parameter s)
   with s real (0 a pole): equal exactly for s in (0, oo) *)
Theorem claim_3_rescaling_real_functions_equal : exists t : Q, admissible Real (dens_2) t /\ (~ equal_on 2%nat [] net_0 (net_2 t)).
Proof. exists ((-1#1)); split; [apply admissible_true; vm_compute; reflexivity | apply (functions_differ _ _ _ _ [(1#1); (0#1)]); vm_compute; reflexivity]. Qed.

(* claim rescaling-real-hidden-exact-match (exact_match), verdict false: not for every admissible value (t is the parameter s)
   with s real: the hidden spans match exactly for s in (0, oo) *)
Theorem claim_4_rescaling_real_hidden_exact_match : exists t : Q, admissible Real (dens_2) t /\ (~ is_match npoints (acts net_0 1%nat inputs) (acts (net_2 t) 1%nat inputs) [0%nat; 1%nat] [0%nat; 1%nat]).
Proof. exists ((-1#1)); split; [apply admissible_true; vm_compute; reflexivity | apply (match_false _ _ _ _ _ (SX, 0%nat, [(1#1); (0#1)])); vm_compute; reflexivity]. Qed.

(* claim example-3.1-no-hidden-match (no_match), verdict false: not for every admissible value (t is the parameter t)
   no t gives no hidden match: (1, 0) is in both hidden spans for every t *)
Theorem claim_5_example_3_1_no_hidden_match : exists t : Q, admissible Real (dens_3) t /\ (~ is_max_match npoints (acts net_0 1%nat inputs) (acts (net_3 t) 1%nat inputs) [] []).
Proof. exists ((-1#1)); split; [apply admissible_true; vm_compute; reflexivity | apply (max_match_false _ _ _ [0%nat; 1%nat] [0%nat] [(SY, 1%nat, [(0#1); (1#1)])] [[(1#1)]; [(1#1)]] [[(1#1); (0#1)]] _ _); vm_compute; reflexivity]. Qed.

(* claim example-3.1-outputs-identical (identical), verdict false: not for every admissible value (t is the parameter t)
   the outputs are identical exactly at t = 1 *)
Theorem claim_6_example_3_1_outputs_identical : exists t : Q, admissible Real (dens_3) t /\ (~ mat_eq (acts net_0 2%nat inputs) (acts (net_3 t) 2%nat inputs)).
Proof. exists ((-1#1)); split; [apply admissible_true; vm_compute; reflexivity | apply mat_eq_false; vm_compute; reflexivity]. Qed.

(* claim example-3.1-hidden-isomorphic (isomorphic), verdict false: not for every admissible value (t is the parameter t)
   the hidden spans are isomorphic exactly for t in [0, oo) *)
Theorem claim_7_example_3_1_hidden_isomorphic : exists t : Q, admissible Real (dens_3) t /\ (~ isomorphic npoints (acts net_0 1%nat inputs) (acts (net_3 t) 1%nat inputs)).
Proof. exists ((-1#1)); split; [apply admissible_true; vm_compute; reflexivity | apply (iso_false _ _ _ 1%nat 2%nat [0%nat] [0%nat] [[(1#1)]] [[(1#1)]; [(1#1)]] [0%nat; 1%nat] [0%nat; 1%nat] [[(1#1); (0#1)]; [(0#1); (1#1)]] [[(1#1); (0#1)]; [(0#1); (1#1)]]); vm_compute; reflexivity]. Qed.

(* claim example-3.1-functions-equal (equal_functions), verdict false: not for every admissible value (t is the parameter t)
   f and f~ compute the same function exactly at t = 1 *)
Theorem claim_8_example_3_1_functions_equal : exists t : Q, admissible Real (dens_3) t /\ (~ equal_on 2%nat [] net_0 (net_3 t)).
Proof. exists ((-1#1)); split; [apply admissible_true; vm_compute; reflexivity | apply (functions_differ _ _ _ _ [(0#1); (1#1)]); vm_compute; reflexivity]. Qed.

(* claim two-parameters-exact-match (exact_match), verdict false: not for every admissible value (t0 is the parameter a, t1 is the parameter b)
   the hidden spans are equal exactly when a = b or both a <= 1 and b <= 1 *)
Theorem claim_9_two_parameters_exact_match : exists t0 t1 : Q, admissible Positive (dens_4) t0 /\ admissible Positive (dens_5) t1 /\ (~ is_match npoints (acts (net_4 t0) 1%nat inputs) (acts (net_5 t1) 1%nat inputs) [0%nat] [0%nat]).
Proof. exists ((1#2)); exists ((2#1)); split; [apply admissible_true; vm_compute; reflexivity | split; [apply admissible_true; vm_compute; reflexivity | apply (match_false _ _ _ _ _ (SX, 0%nat, [(-1#1); (3#1)])); vm_compute; reflexivity]]. Qed.

(* claim two-parameters-isomorphic (isomorphic), verdict true: for every admissible rational value of the parameter a (t0) and b (t1)
   the hidden spans are isomorphic (both lines) for every a, b > 0 *)
Theorem claim_10_two_parameters_isomorphic : forall t0 t1 : Q, admissible Positive (dens_4) t0 -> admissible Positive (dens_5) t1 -> isomorphic npoints (acts (net_4 t0) 1%nat inputs) (acts (net_5 t1) 1%nat inputs).
Proof. intros t0 t1 H0 H1; apply iso_split; exists 1%nat; split;
  [revert t0 H0; apply (on_all Positive (dens_4) (fun t => dim_span npoints (acts (net_4 t) 1%nat inputs) 1%nat)); cbn [start stop];
  apply (on_split _ _ _ (1#1)); [intros t Hs _; change (dim_span npoints (acts (inst pnet_4 t) 1%nat inputs) 1%nat); apply (dim_on _ npoints pnet_4 1%nat inputs 1%nat [0%nat] [[([(1#1)], [(1#1)]); ([(0#1)], [(1#1)])]] [[([(1#1)], [(1#1)])]] t Hs); vm_compute; reflexivity |
    intros t Hs _; change (dim_span npoints (acts (inst pnet_4 t) 1%nat inputs) 1%nat); apply (dim_on _ npoints pnet_4 1%nat inputs 1%nat [0%nat] [[([(1#1)], [(1#1)]); ([(0#1)], [(1#1)])]] [[([(1#1)], [(1#1)])]] t Hs); vm_compute; reflexivity |
  intros t Hs _; change (dim_span npoints (acts (inst pnet_4 t) 1%nat inputs) 1%nat); apply (dim_on _ npoints pnet_4 1%nat inputs 1%nat [0%nat] [[([(1#1)], [(1#1)]); ([(0#1)], [(1#1)])]] [[([(1#1)], [(1#1)])]] t Hs); vm_compute; reflexivity] |
   revert t1 H1; apply (on_all Positive (dens_5) (fun t => dim_span npoints (acts (net_5 t) 1%nat inputs) 1%nat)); cbn [start stop];
  apply (on_split _ _ _ (1#1)); [intros t Hs _; change (dim_span npoints (acts (inst pnet_5 t) 1%nat inputs) 1%nat); apply (dim_on _ npoints pnet_5 1%nat inputs 1%nat [0%nat] [[([(1#1)], [(1#1)]); ([(0#1)], [(1#1)])]] [[([(1#1)], [(1#1)])]] t Hs); vm_compute; reflexivity |
    intros t Hs _; change (dim_span npoints (acts (inst pnet_5 t) 1%nat inputs) 1%nat); apply (dim_on _ npoints pnet_5 1%nat inputs 1%nat [0%nat] [[([(1#1)], [(1#1)]); ([(0#1)], [(1#1)])]] [[([(1#1)], [(1#1)])]] t Hs); vm_compute; reflexivity |
  intros t Hs _; change (dim_span npoints (acts (inst pnet_5 t) 1%nat inputs) 1%nat); apply (dim_on _ npoints pnet_5 1%nat inputs 1%nat [0%nat] [[([(1#1)], [(1#1)]); ([(0#1)], [(1#1)])]] [[([(1#1)], [(1#1)])]] t Hs); vm_compute; reflexivity]].
Qed.

