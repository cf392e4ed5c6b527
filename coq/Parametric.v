(* Parametric.v: families of networks (symrep's parametric certificates, docs/parametric.md).

   A network of a family has entries that are rational functions num/den of one parameter,
   written `rf num den t` (polynomials as coefficient lists over Q, lowest degree first).  The
   network at a rational t is an ordinary network of coq/Symrep.v, so each claim about the family
   is the library's claim applied to the network instantiated at t.

   What a reader must trust (section 1): `peval` (a polynomial's value, Horner's rule), `rf`
   (num(t) / den(t)), `assumed` (the parameter's sign assumption) and `admissible` (the
   assumption holds and no denominator of the claim's networks vanishes at t: symrep's admissible
   set, the assumption's set minus the poles).  The parameter ranges over the rationals Q.
   Section 2 is checks and their proofs (no Admitted, no axiom). *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List Bool.
Import ListNotations.
Open Scope Q_scope.

(* ============================================================================================ *)
(* 1. Definitions                                                                               *)

Definition poly := list Q.
(* c0 + t (c1 + t (c2 + ...)) *)
Fixpoint peval (p : poly) (t : Q) : Q := match p with [] => 0 | c :: p' => c + t * peval p' t end.
(* an entry num(t) / den(t) of a network of the family *)
Definition rf (num den : poly) (t : Q) : Q := peval num t / peval den t.

Inductive sign_assumption := Positive | Negative | Nonzero | Real.
Definition assumed (a : sign_assumption) (t : Q) : Prop :=
  match a with Positive => 0 < t | Negative => t < 0 | Nonzero => ~ t == 0 | Real => True end.
(* t is admissible for a claim whose networks have the denominators ds: the assumption holds and
   no denominator vanishes (t is not a pole) *)
Definition admissible (a : sign_assumption) (ds : list poly) (t : Q) : Prop :=
  assumed a t /\ Forall (fun d => ~ peval d t == 0) ds.

(* ============================================================================================ *)
(* 2. Checks                                                                                    *)

Definition assumedb (a : sign_assumption) (t : Q) : bool :=
  match a with Positive => Qltb 0 t | Negative => Qltb t 0 | Nonzero => negb (Qeq_bool t 0) | Real => true end.
Definition admissibleb (a : sign_assumption) (ds : list poly) (t : Q) : bool :=
  assumedb a t && forallb (fun d => negb (Qeq_bool (peval d t) 0)) ds.

Lemma assumed_true a t : assumedb a t = true -> assumed a t.
Proof.
  destruct a; simpl; intro H; auto.
  - apply Qltb_spec; exact H.
  - apply Qltb_spec; exact H.
  - intro E. apply Qeq_bool_iff in E. rewrite E in H. discriminate.
Qed.

(* A counterexample: an admissible rational t (the claim at t is then refuted by a lemma of
   coq/Symrep.v, applied to the network instantiated at t). *)
Lemma admissible_true a ds t : admissibleb a ds t = true -> admissible a ds t.
Proof.
  unfold admissibleb, admissible. intro H. apply andb_true_iff in H as [Ha Hd].
  split; [apply assumed_true; exact Ha |].
  apply Forall_forall. intros d Hin E.
  pose proof (proj1 (forallb_forall _ ds) Hd d Hin) as Hb. simpl in Hb.
  apply Qeq_bool_iff in E. rewrite E in Hb. discriminate.
Qed.
