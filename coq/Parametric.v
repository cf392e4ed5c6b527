(* Parametric.v: families of networks (symrep's parametric certificates, docs/parametric.md).

   A network of a family has entries that are rational functions num/den of one parameter,
   written `rf num den t` (polynomials as coefficient lists over Q, lowest degree first).  The
   network at a rational t is an ordinary network of coq/Symrep.v, so each claim about the family
   is the library's claim applied to the network instantiated at t.

   What a reader must trust (section 1): `peval` (a polynomial's value, Horner's rule), `rf`
   (num(t) / den(t)), `assumed` (the parameter's sign assumption) and `admissible` (the
   assumption holds and no denominator of the claim's networks vanishes at t: symrep's admissible
   set, the assumption's set minus the poles); and, at the head of section 3, `ev`/`inst` (the
   network of a family at t: each entry a constant or num/den at t).  The parameter ranges over
   the rationals Q: a claim "for every admissible t" is proved for every rational t.

   A verdict false is `exists t, admissible a ds t /\ ~ claim(t)`, proved with a rational t and the
   false lemmas of coq/Symrep.v.  A verdict true is `forall t, admissible a ds t -> claim(t)`,
   proved piece by piece (section 3): on each open interval or point of the line, the forward pass
   is computed over rational functions of t (`sacts`), each ReLU's pre-activation and each
   denominator shown of one sign on the piece by Descartes' rule of signs after a change of
   variable (`pos_onb`: p(a + u), p(b - u), or (1 + u)^n p((lo + hi u)/(1 + u)) with nonnegative
   coefficients, one positive), and the kind's identities checked as polynomial identities
   (`mat_eq_on`, `acts_eq_on`, `match_on`, `max_match_on`, `similarity_on`, `cka_on`, `cka_surd_on`,
   `dim_on`, `iso_on`; `sym_equal_on`: equal functions by a positive rescaling of the neurons); `on_split` and `on_all` glue the pieces
   into the admissible set, `excluded` discards its left-out points.  Sections 2 and 3 are checks
   and their proofs: no Admitted, no axiom. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List Bool Lia Psatz.
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

(* ============================================================================================ *)
(* 3. Verdicts true: a claim at every t of a piece of the line                                  *)

(* A network of a family as data: entries constant (EC) or num/den (ER); `inst pn t` is the
   network at t (an exported file defines net_k x := inst pnet_k x). *)
Inductive entry := EC (q : Q) | ER (num den : poly).
Definition ev (e : entry) (t : Q) : Q := match e with EC q => q | ER n d => rf n d t end.
Record player := mk_player { pweights : list (list entry); pbias : list entry; pact : activation }.
Definition pnetwork := list player.
Definition inst_layer (L : player) (t : Q) : layer :=
  mk_layer (map (map (fun e => ev e t)) (pweights L)) (map (fun e => ev e t) (pbias L)) (pact L).
Definition inst (pn : pnetwork) (t : Q) : network := map (fun L => inst_layer L t) pn.

(* Pieces of the line: an open interval (None: infinite end) or a point. *)
Inductive iset := IOpen (lo hi : option Q) | IPoint (c : Q).
Definition in_set (s : iset) (t : Q) : Prop :=
  match s with
  | IOpen lo hi => match lo with None => True | Some a => a < t end /\ match hi with None => True | Some b => t < b end
  | IPoint c => t == c
  end.

(* --- polynomial arithmetic --- *)
Fixpoint padd (p q : poly) : poly :=
  match p, q with [], _ => q | _, [] => p | a :: p', b :: q' => Qred (a + b) :: padd p' q' end.
Definition pscale (c : Q) (p : poly) : poly := map (fun a => Qred (c * a)) p.
Fixpoint pmul (p q : poly) : poly := match p with [] => [] | a :: p' => padd (pscale a q) (0 :: pmul p' q) end.
Definition pneg (p : poly) : poly := pscale (-1) p.
Fixpoint qpow (q : Q) (n : nat) : Q := match n with O => 1 | S k => q * qpow q k end.
Fixpoint ppow (p : poly) (n : nat) : poly := match n with O => [1] | S k => pmul p (ppow p k) end.

Lemma peval_compat p s t : s == t -> peval p s == peval p t.
Proof. intro E. induction p as [| c p IH]; cbn [peval padd pscale pmul map ppow qpow]. reflexivity. rewrite IH, E. reflexivity. Qed.
#[export] Instance peval_proper p : Morphisms.Proper (Qeq ==> Qeq) (peval p) := peval_compat p.
Lemma peval_padd p q t : peval (padd p q) t == peval p t + peval q t.
Proof. revert q; induction p as [| a p IH]; intros [| b q]; cbn [peval padd pscale pmul map ppow qpow]; try ring.
  rewrite Qred_correct, IH. ring. Qed.
Lemma peval_pscale c p t : peval (pscale c p) t == c * peval p t.
Proof. induction p as [| a p IH]; cbn [peval padd pscale pmul map ppow qpow]. ring. rewrite Qred_correct, IH. ring. Qed.
Lemma peval_pmul p q t : peval (pmul p q) t == peval p t * peval q t.
Proof. induction p as [| a p IH]; cbn [peval padd pscale pmul map ppow qpow]. ring. rewrite peval_padd, peval_pscale. cbn [peval padd pscale pmul map ppow qpow]. rewrite IH. ring. Qed.
Lemma peval_pneg p t : peval (pneg p) t == - peval p t.
Proof. unfold pneg. rewrite peval_pscale. ring. Qed.
Lemma peval_ppow p n t : peval (ppow p n) t == qpow (peval p t) n.
Proof. induction n; cbn [peval padd pscale pmul map ppow qpow]. ring. rewrite peval_pmul, IHn. reflexivity. Qed.

(* --- the sign of a polynomial on a piece, decided by Descartes' test after a change of variable --- *)
Definition nonnegb (p : poly) : bool := forallb (fun c => Qle_bool 0 c) p.
Definition posb (p : poly) : bool := nonnegb p && existsb (fun c => Qltb 0 c) p.
Lemma nonneg_coeffs p u : 0 <= u -> nonnegb p = true -> 0 <= peval p u.
Proof. intro Hu. induction p as [| c p IH]; simpl; intro H. apply Qle_refl.
  apply andb_true_iff in H as [Hc H]. apply Qle_bool_iff in Hc. specialize (IH H).
  apply Qle_trans with (c + 0). rewrite Qplus_0_r; exact Hc.
  apply Qplus_le_compat. apply Qle_refl. apply Qmult_le_0_compat; assumption. Qed.
Lemma pos_coeffs p u : 0 < u -> posb p = true -> 0 < peval p u.
Proof. intro Hu. unfold posb. induction p as [| c p IH]; simpl; intro H. discriminate.
  apply andb_true_iff in H as [H1 H2]. apply andb_true_iff in H1 as [Hc Hn]. apply Qle_bool_iff in Hc.
  assert (Hp : 0 <= peval p u) by (apply nonneg_coeffs; [apply Qlt_le_weak; exact Hu | exact Hn]).
  apply orb_true_iff in H2 as [H2 | H2].
  - apply Qltb_spec in H2. assert (0 <= u * peval p u) by (apply Qmult_le_0_compat; [apply Qlt_le_weak |]; assumption).
    lra.
  - assert (0 < peval p u) by (apply IH; rewrite Hn, H2; reflexivity).
    assert (0 < u * peval p u) by (apply Qmult_lt_0_compat; assumption). lra.
Qed.

(* p(a + u), p(-v), and (1 + u)^(n-1) p((lo + hi u) / (1 + u)) for p of length n: for u > 0 these
   run over t in (a, oo), (-oo, 0) and (lo, hi), so nonnegative coefficients with one positive
   show p > 0 there (Descartes' rule with no sign change; on (lo, hi) the Bernstein test). *)
Fixpoint pshift (a : Q) (p : poly) : poly := match p with [] => [] | c :: p' => padd [c] (pmul [a; 1] (pshift a p')) end.
Fixpoint pflip (p : poly) : poly := match p with [] => [] | c :: p' => c :: pneg (pflip p') end.
Fixpoint pmob (lo hi : Q) (p : poly) : poly :=
  match p with [] => [] | c :: p' => padd (pscale c (ppow [1; 1] (length p'))) (pmul [lo; hi] (pmob lo hi p')) end.

Lemma peval_pshift a p u : peval (pshift a p) u == peval p (a + u).
Proof. induction p as [| c p IH]; cbn [pshift peval]. reflexivity.
  rewrite peval_padd, peval_pmul, IH. cbn [peval]. ring. Qed.
Lemma peval_pflip p v : peval (pflip p) v == peval p (- v).
Proof. induction p as [| c p IH]; cbn [pflip peval]. reflexivity.
  rewrite peval_pneg, IH. ring. Qed.
Lemma qpow_compat a b n : a == b -> qpow a n == qpow b n.
Proof. intro E; induction n; cbn [qpow]. reflexivity. apply Qmult_comp; assumption. Qed.
Lemma peval_pmob lo hi p u : ~ 1 + u == 0 ->
  peval (pmob lo hi p) u == qpow (1 + u) (pred (length p)) * peval p ((lo + hi * u) / (1 + u)).
Proof. intro Hu. set (x := (lo + hi * u) / (1 + u)).
  assert (Hx : (1 + u) * x == lo + hi * u) by (unfold x; field; exact Hu).
  induction p as [| c p IH]; cbn [pmob peval length pred]. ring.
  rewrite peval_padd, peval_pscale, peval_pmul, peval_ppow, IH.
  rewrite (qpow_compat (peval [1; 1] u) (1 + u)) by (cbn [peval]; ring).
  destruct p as [| c' p']; cbn [length pred peval qpow] in *. ring.
  set (P := c' + x * peval p' x). set (K := qpow (1 + u) (length p')).
  setoid_replace ((1 + u) * K * (c + x * P)) with (c * ((1 + u) * K) + ((1 + u) * x) * (K * P)) by ring.
  rewrite Hx. ring. Qed.

Definition pos_onb (s : iset) (p : poly) : bool :=
  match s with
  | IPoint c => Qltb 0 (peval p c)
  | IOpen (Some a) None => posb (pshift a p)
  | IOpen None (Some b) => posb (pshift (- b) (pflip p))
  | IOpen (Some a) (Some b) => Qltb a b && posb (pmob a b p)
  | IOpen None None => Qltb 0 (peval p 0) && posb p && posb (pflip p)
  end.
Definition pzerob (p : poly) : bool := forallb (fun c => Qeq_bool c 0) p.
Definition zero_onb (s : iset) (p : poly) : bool :=
  match s with IPoint c => Qeq_bool (peval p c) 0 | _ => pzerob p end.
Definition nonpos_onb (s : iset) (p : poly) : bool := zero_onb s p || pos_onb s (pneg p).
Definition nonneg_onb (s : iset) (p : poly) : bool := zero_onb s p || pos_onb s p.

Lemma pzero_sound p t : pzerob p = true -> peval p t == 0.
Proof. induction p as [| c p IH]; cbn [pzerob peval forallb]; intro H. reflexivity.
  apply andb_true_iff in H as [Hc H]. apply Qeq_bool_iff in Hc. rewrite Hc, IH by exact H. ring. Qed.
Lemma zero_on_sound s p t : zero_onb s p = true -> in_set s t -> peval p t == 0.
Proof. destruct s as [lo hi | c]; cbn [zero_onb in_set]; intros H Ht.
  - destruct lo, hi; apply pzero_sound; exact H.
  - apply Qeq_bool_iff in H. rewrite (peval_compat p t c Ht). exact H. Qed.

Lemma pos_on_sound s p t : pos_onb s p = true -> in_set s t -> 0 < peval p t.
Proof. destruct s as [[a |] [b |] | c]; cbn [pos_onb in_set]; intros H Ht.
  - apply andb_true_iff in H as [Hab H]. destruct Ht as [Ha Hb].
    set (u := (t - a) / (b - t)).
    assert (Hbt : ~ b - t == 0) by (intro E; lra).
    assert (Hu : 0 < u) by (unfold u; apply Qlt_shift_div_l; lra).
    assert (Hu1 : ~ 1 + u == 0) by (intro E; lra).
    assert (Hx : (a + b * u) / (1 + u) == t).
    { unfold u. field_simplify_eq. ring. split. exact Hbt. intro E. apply Hu1. unfold u.
      field_simplify_eq; [| exact Hbt]. lra. } 
    pose proof (pos_coeffs _ _ Hu H) as Hp. rewrite peval_pmob in Hp by exact Hu1. rewrite Hx in Hp.
    assert (Hk : 0 < qpow (1 + u) (pred (length p))).
    { clear Hp. induction (pred (length p)); cbn [qpow]. reflexivity. apply Qmult_lt_0_compat; [lra | exact IHn]. }
    set (K := qpow (1 + u) (pred (length p))) in *. nra.
  - destruct Ht as [Ha _]. assert (Hu : 0 < t - a) by lra.
    pose proof (pos_coeffs _ _ Hu H) as Hp. rewrite peval_pshift in Hp.
    rewrite (peval_compat p (a + (t - a)) t) in Hp by ring. exact Hp.
  - destruct Ht as [_ Hb]. assert (Hu : 0 < b - t) by lra.
    pose proof (pos_coeffs _ _ Hu H) as Hp. rewrite peval_pshift, peval_pflip in Hp.
    rewrite (peval_compat p (- (- b + (b - t))) t) in Hp by ring. exact Hp.
  - apply andb_true_iff in H as [H H2]. apply andb_true_iff in H as [H0 H1]. apply Qltb_spec in H0.
    destruct (Q_dec 0 t) as [[Hlt | Hgt] | Heq].
    + apply (pos_coeffs _ _ Hlt H1).
    + assert (Hu : 0 < - t) by lra. pose proof (pos_coeffs _ _ Hu H2) as Hp. rewrite peval_pflip in Hp.
      rewrite (peval_compat p (- - t) t) in Hp by ring. exact Hp.
    + rewrite <- (peval_compat p 0 t Heq). exact H0.
  - apply Qltb_spec in H. rewrite (peval_compat p t c Ht). exact H. Qed.

(* --- rational functions num/den, evaluated where the denominator is positive --- *)
Definition rq := (poly * poly)%type.
Definition reval (r : rq) (t : Q) : Q := peval (fst r) t / peval (snd r) t.
Definition rconst (q : Q) : rq := ([q], [1]).
Definition radd (x y : rq) : rq := (padd (pmul (fst x) (snd y)) (pmul (fst y) (snd x)), pmul (snd x) (snd y)).
Definition rmul (x y : rq) : rq := (pmul (fst x) (fst y), pmul (snd x) (snd y)).
Definition rsub (x y : rq) : rq := radd x (pneg (fst y), snd y).
(* q is the value at t of r, whose denominator is positive at t *)
Definition R (t : Q) (q : Q) (r : rq) : Prop := 0 < peval (snd r) t /\ q == reval r t.
Definition VR t := Forall2 (R t).
Definition MR t := Forall2 (VR t).

Lemma R_const t q : R t q (rconst q).
Proof. unfold R, reval, rconst; cbn [fst snd peval]. split; [lra | field; lra]. Qed.
Lemma R_add t a b x y : R t a x -> R t b y -> R t (a + b) (radd x y).
Proof. unfold R, reval, radd; cbn [fst snd]. intros [Hx Ha] [Hy Hb]. rewrite !peval_pmul, peval_padd, !peval_pmul.
  split. apply Qmult_lt_0_compat; assumption. rewrite Ha, Hb. field. split; intro E; lra. Qed.
Lemma R_mul t a b x y : R t a x -> R t b y -> R t (a * b) (rmul x y).
Proof. unfold R, reval, rmul; cbn [fst snd]. intros [Hx Ha] [Hy Hb]. rewrite !peval_pmul.
  split. apply Qmult_lt_0_compat; assumption. rewrite Ha, Hb. field. split; intro E; lra. Qed.
Lemma R_sub t a b x y : R t a x -> R t b y -> R t (a - b) (rsub x y).
Proof. intros Ha Hb. unfold Qminus. apply R_add. exact Ha. destruct Hb as [Hy Hb]. unfold R, reval; cbn [fst snd].
  split. exact Hy. rewrite peval_pneg, Hb. unfold reval. field. intro E; lra. Qed.
Lemma R_compat t a b r : a == b -> R t a r -> R t b r.
Proof. intros E [H1 H2]. split. exact H1. rewrite <- E. exact H2. Qed.
Lemma R_zero_num t a r : R t a r -> peval (fst r) t == 0 -> a == 0.
Proof. intros [H1 H2] E. rewrite H2. unfold reval. rewrite E. field. intro F; lra. Qed.
Lemma R_sign_pos t a r : R t a r -> 0 < peval (fst r) t -> 0 < a.
Proof. intros [H1 H2] E. rewrite H2. unfold reval. apply Qlt_shift_div_l. exact H1. lra. Qed.
Lemma R_sign_nonpos t a r : R t a r -> 0 < - peval (fst r) t \/ peval (fst r) t == 0 -> a <= 0.
Proof. intros [H1 H2] E. rewrite H2. unfold reval. assert (peval (fst r) t <= 0) by (destruct E; lra).
  apply Qle_shift_div_r. exact H1. lra. Qed.

(* --- the forward pass over rational functions on a piece: each ReLU's sign decided on the piece --- *)
Fixpoint omap {A B : Type} (f : A -> option B) (l : list A) : option (list B) :=
  match l with
  | [] => Some []
  | a :: l' => match f a, omap f l' with Some b, Some bs => Some (b :: bs) | _, _ => None end
  end.
Lemma omap_rel {A B C : Type} (f : A -> option B) (g : A -> C) (P : C -> B -> Prop) l bs :
  (forall a b, f a = Some b -> P (g a) b) -> omap f l = Some bs -> Forall2 P (map g l) bs.
Proof. intro H. revert bs. induction l as [| a l IH]; cbn [omap map]; intros bs E.
  - inversion E; constructor.
  - destruct (f a) eqn:Ea; [| discriminate]. destruct (omap f l) eqn:El; [| discriminate].
    inversion E; subst. constructor. apply H; exact Ea. apply IH; reflexivity. Qed.

Definition sentry (s : iset) (e : entry) : option rq :=
  match e with
  | EC q => Some (rconst q)
  | ER n d => if pos_onb s d then Some (n, d) else if pos_onb s (pneg d) then Some (pneg n, pneg d) else None
  end.
Lemma sentry_sound s e r t : in_set s t -> sentry s e = Some r -> R t (ev e t) r.
Proof. intros Ht. destruct e as [q | n d]; cbn [sentry ev].
  - intro E; inversion E; apply R_const.
  - unfold rf, R, reval. destruct (pos_onb s d) eqn:Hd.
    + intro E; inversion E; subst; cbn [fst snd]. split. apply (pos_on_sound s d t Hd Ht). reflexivity.
    + destruct (pos_onb s (pneg d)) eqn:Hn; intro E; inversion E; subst; cbn [fst snd].
      pose proof (pos_on_sound _ _ t Hn Ht) as P. split. exact P. rewrite !peval_pneg in *. field.
      intro F; rewrite F in P; lra. Qed.

Definition sdot (u v : list rq) : rq := fold_right radd (rconst 0) (map (fun p => rmul (fst p) (snd p)) (combine u v)).
Lemma sdot_sound t u U v V : VR t u U -> VR t v V -> R t (dotl u v) (sdot U V).
Proof. intro Hu. revert v V. induction Hu as [| a A u U Ha Hu IH]; intros v V Hv.
  - apply R_const.
  - destruct Hv as [| b B v V Hb Hv].
    + apply R_const.
    + unfold dotl, sdot in *. cbn [combine map fold_right fst snd]. eapply R_compat. symmetry; apply Qred_correct.
      apply R_add. apply R_mul; assumption. apply IH; exact Hv. Qed.

Definition srelu (s : iset) (r : rq) : option rq :=
  if pos_onb s (fst r) then Some r else if nonpos_onb s (fst r) then Some (rconst 0) else None.
Lemma srelu_sound s t q r r' : in_set s t -> R t q r -> srelu s r = Some r' -> R t (relu q) r'.
Proof. intros Ht Hq. unfold srelu, relu. destruct (pos_onb s (fst r)) eqn:Hp.
  - intro E; inversion E; subst. pose proof (R_sign_pos t q r' Hq (pos_on_sound _ _ _ Hp Ht)).
    destruct (Qle_bool q 0) eqn:Hle; [apply Qle_bool_iff in Hle; lra | exact Hq].
  - destruct (nonpos_onb s (fst r)) eqn:Hn; intro E; inversion E; subst.
    assert (q <= 0). { apply (R_sign_nonpos t q r Hq). unfold nonpos_onb in Hn. apply orb_true_iff in Hn as [Hz | Hz].
      right; exact (zero_on_sound _ _ _ Hz Ht). left. pose proof (pos_on_sound _ _ _ Hz Ht). rewrite peval_pneg in H. exact H. }
    destruct (Qle_bool q 0) eqn:Hle. apply R_const. apply Qle_bool_iff in H. congruence. Qed.

Definition slayer (s : iset) (L : player) (H : list rq) : option (list rq) :=
  match omap (omap (sentry s)) (pweights L), omap (sentry s) (pbias L) with
  | Some W, Some b => omap (fun p => let q := radd (sdot (fst p) H) (snd p) in
                                   match pact L with Relu => srelu s q | Identity => Some q end) (combine W b)
  | _, _ => None
  end.
Lemma slayer_sound s L t h H H' : in_set s t -> VR t h H -> slayer s L H = Some H' -> VR t (layer_out (inst_layer L t) h) H'.
Proof. intros Ht Hh. unfold slayer, layer_out, inst_layer. cbn [weights bias act].
  destruct (omap (omap (sentry s)) (pweights L)) as [W |] eqn:EW; [| discriminate].
  destruct (omap (sentry s) (pbias L)) as [b |] eqn:Eb; [| discriminate].
  assert (HW : MR t (map (map (fun e => ev e t)) (pweights L)) W).
  { apply (omap_rel _ _ _ _ _ (fun a b' E => omap_rel _ _ _ _ _ (fun e r => sentry_sound s e r t Ht) E) EW). }
  assert (Hb : VR t (map (fun e => ev e t) (pbias L)) b) by exact (omap_rel _ _ _ _ _ (fun e r => sentry_sound s e r t Ht) Eb).
  generalize (map (map (fun e => ev e t)) (pweights L)) (map (fun e => ev e t) (pbias L)) HW Hb. clear HW Hb EW Eb.
  intros ws cs HW. revert cs b H'. induction HW as [| w Wr ws Ws Hw HW IH]; intros cs b H' Hb E.
  - cbn in E. inversion E. constructor.
  - destruct Hb as [| c C cs Cs Hc Hb]; cbn [combine omap map] in *.
    + inversion E; constructor.
    + assert (Rq : R t (Qred (dotl w h + c)) (radd (sdot Wr H) C)).
      { eapply R_compat. symmetry; apply Qred_correct. apply R_add. apply sdot_sound; assumption. exact Hc. }
      cbv zeta in *. cbn [fst snd] in *. destruct (pact L) eqn:Ea.
      * destruct (srelu s (radd (sdot Wr H) C)) as [r |] eqn:Er; [| discriminate].
        destruct (omap _ (combine Ws Cs)) as [rs |] eqn:Ers; [| discriminate].
        inversion E; subst. constructor. apply (srelu_sound s t _ _ r Ht Rq Er).
        apply (IH cs Cs rs). exact Hb. exact Ers.
      * destruct (omap _ (combine Ws Cs)) as [rs |] eqn:Ers; [| discriminate].
        inversion E; subst. constructor. exact Rq.
        apply (IH cs Cs rs). exact Hb. exact Ers. Qed.

Fixpoint svalues (s : iset) (pn : pnetwork) (H : list rq) : option (list (list rq)) :=
  match pn with
  | [] => Some [H]
  | L :: pn' => match slayer s L H with
                | Some H' => match svalues s pn' H' with Some vs => Some (H :: vs) | None => None end
                | None => None end
  end.
Lemma svalues_sound s pn t x H vs : in_set s t -> VR t x H -> svalues s pn H = Some vs -> MR t (values (inst pn t) x) vs.
Proof. intro Ht. revert x H vs. induction pn as [| L pn IH]; intros x H vs Hx E; cbn [svalues inst map values] in *.
  - inversion E; subst. constructor. exact Hx. constructor.
  - destruct (slayer s L H) as [H' |] eqn:EL; [| discriminate].
    destruct (svalues s pn H') as [vs' |] eqn:Ev; [| discriminate]. inversion E; subst.
    constructor. exact Hx. apply (IH _ H'). apply (slayer_sound s L t x H H' Ht Hx EL). exact Ev. Qed.

Lemma F2_length {A B : Type} (P : A -> B -> Prop) l m : Forall2 P l m -> length l = length m.
Proof. induction 1; cbn [length]; congruence. Qed.
Lemma nth_VR t v V i : VR t v V -> R t (nth i v 0) (nth i V (rconst 0)).
Proof. intro H. revert i. induction H as [| a A v V Ha H IH]; intros [| i]; cbn [nth]. 1, 2: apply R_const. exact Ha. apply IH. Qed.
Lemma nth_MR t A SA i : MR t A SA -> VR t (nth i A []) (nth i SA []).
Proof. intro H. revert i. induction H as [| a A v V Ha H IH]; intros [| i]; cbn [nth]. 1, 2: constructor. exact Ha. apply IH. Qed.
Lemma map_rel {A B C D : Type} (f : A -> C) (g : B -> D) (P : C -> D -> Prop) (Q' : A -> B -> Prop) l m :
  (forall a b, Q' a b -> P (f a) (g b)) -> Forall2 Q' l m -> Forall2 P (map f l) (map g m).
Proof. intros H F. induction F; constructor; auto. Qed.

Definition svalue (s : iset) (pn : pnetwork) (k : nat) (x : vec) : option (list rq) :=
  match svalues s pn (map rconst x) with Some vs => Some (nth k vs []) | None => None end.
(* the activation matrix over rational functions: one row per neuron, one column per point *)
Definition sacts (s : iset) (pn : pnetwork) (k : nat) (X : mat) : option (list (list rq)) :=
  match omap (svalue s pn k) X with
  | Some V => Some (map (fun i => map (fun v => nth i v (rconst 0)) V) (seq 0 (length (hd [] V))))
  | None => None
  end.
Lemma sacts_sound s pn k X SA t : in_set s t -> sacts s pn k X = Some SA -> MR t (acts (inst pn t) k X) SA.
Proof. intros Ht E. unfold sacts in E. destruct (omap (svalue s pn k) X) as [V |] eqn:EV; [| discriminate].
  inversion E; subst. clear E.
  assert (HV : MR t (map (value (inst pn t) k) X) V).
  { refine (omap_rel _ _ _ _ _ _ EV). intros x v E. unfold svalue in E.
    destruct (svalues s pn (map rconst x)) as [vs |] eqn:Es; [| discriminate]. inversion E; subst.
    unfold value. apply nth_MR. apply (svalues_sound s pn t x (map rconst x) vs Ht). 2: exact Es.
    clear. induction x; constructor. apply R_const. exact IHx. }
  unfold acts. cbv zeta.
  assert (Hl : length (hd [] (map (value (inst pn t) k) X)) = length (hd [] V)).
  { destruct HV; cbn [hd]. reflexivity. eapply F2_length; eassumption. }
  rewrite Hl. apply (map_rel _ _ _ eq). intros a b <-. apply (map_rel _ _ _ (VR t)). intros v W Hv.
  apply nth_VR; exact Hv. exact HV. clear. induction (seq 0 (length (hd [] V))); constructor; auto. Qed.

(* --- claims on a piece --- *)
Fixpoint svec_eqb (s : iset) (U V : list rq) : bool :=
  match U, V with [], [] => true | a :: U', b :: V' => zero_onb s (fst (rsub a b)) && svec_eqb s U' V' | _, _ => false end.
Fixpoint smat_eqb (s : iset) (A B : list (list rq)) : bool :=
  match A, B with [], [] => true | u :: A', v :: B' => svec_eqb s u v && smat_eqb s A' B' | _, _ => false end.
Definition smat_eq_on (s : iset) (pn1 pn2 : pnetwork) (k1 k2 : nat) (X : mat) : bool :=
  match sacts s pn1 k1 X, sacts s pn2 k2 X with Some A, Some B => smat_eqb s A B | _, _ => false end.

Lemma VR_eq s t u U v V : in_set s t -> VR t u U -> VR t v V -> svec_eqb s U V = true -> Forall2 Qeq u v.
Proof. intros Ht Hu. revert v V. induction Hu as [| a A u U Ha Hu IH]; intros v V Hv E;
    destruct Hv as [| b B v V Hb Hv]; cbn [svec_eqb] in E; try discriminate. constructor.
  apply andb_true_iff in E as [E1 E2]. constructor. 2: exact (IH _ _ Hv E2).
  pose proof (R_zero_num t _ _ (R_sub t a b A B Ha Hb) (zero_on_sound _ _ _ E1 Ht)). lra. Qed.
Lemma MR_eq s t A SA B SB : in_set s t -> MR t A SA -> MR t B SB -> smat_eqb s SA SB = true -> mat_eq A B.
Proof. intros Ht HA. revert B SB. induction HA as [| u U A SA Hu HA IH]; intros B SB HB E;
    destruct HB as [| v V B SB Hv HB]; cbn [smat_eqb] in E; try discriminate. constructor.
  apply andb_true_iff in E as [E1 E2]. constructor. exact (VR_eq s t u U v V Ht Hu Hv E1). exact (IH _ _ HB E2). Qed.

Lemma mat_eq_on s pn1 pn2 k1 k2 X t : in_set s t -> smat_eq_on s pn1 pn2 k1 k2 X = true ->
  mat_eq (acts (inst pn1 t) k1 X) (acts (inst pn2 t) k2 X).
Proof. intros Ht E. unfold smat_eq_on in E.
  destruct (sacts s pn1 k1 X) as [SA |] eqn:EA; [| discriminate]. destruct (sacts s pn2 k2 X) as [SB |] eqn:EB; [| discriminate].
  exact (MR_eq s t _ _ _ _ Ht (sacts_sound _ _ _ _ _ t Ht EA) (sacts_sound _ _ _ _ _ t Ht EB) E). Qed.

(* exact match on a piece: coefficients c (rational functions with positive denominators on the
   piece) with z_x = sum_y c_y z_y as rational functions (or at the point) *)
Fixpoint ssumn (n : nat) (f : nat -> rq) : rq := match n with O => rconst 0 | S k => radd (ssumn k f) (f k) end.
Definition scomb (c : list rq) (S : list (list rq)) (j : nat) : rq :=
  ssumn (length S) (fun i => rmul (nth i c (rconst 0)) (nth j (nth i S []) (rconst 0))).
Definition sspan_ok (s : iset) (d : nat) (z : list rq) (S : list (list rq)) (c : list rq) : bool :=
  forallb (fun r => pos_onb s (snd r)) c &&
  forallb (fun j => zero_onb s (fst (rsub (nth j z (rconst 0)) (scomb c S j)))) (seq 0 d).

Lemma coef_R s t c i : in_set s t -> forallb (fun r => pos_onb s (snd r)) c = true ->
  R t (at_ (map (fun r => reval r t) c) i) (nth i c (rconst 0)).
Proof. intro Ht. unfold at_. revert i. induction c as [| r c IH]; intros [| i] H; cbn [map nth forallb] in *.
  1, 2: apply R_const.
  - apply andb_true_iff in H as [H _]. split. exact (pos_on_sound _ _ _ H Ht). reflexivity.
  - apply andb_true_iff in H as [_ H]. apply IH; exact H. Qed.

Lemma sspan_sound s d t z Z Sv SS c : in_set s t -> VR t z Z -> MR t Sv SS -> sspan_ok s d Z SS c = true -> in_span d z Sv.
Proof. intros Ht Hz HS E. unfold sspan_ok in E. apply andb_true_iff in E as [Ec Ej].
  exists (map (fun r => reval r t) c). intros j Hj.
  assert (Hcomb : R t (comb (map (fun r => reval r t) c) Sv j) (scomb c SS j)).
  { unfold comb, scomb. assert (Hl : @length vec Sv = length SS) by exact (F2_length _ _ _ HS). rewrite Hl. clear Hl. induction (length SS) as [| n IH]; cbn [sumn ssumn].
    apply R_const. eapply R_compat. symmetry; apply Qred_correct. apply R_add. exact IH.
    apply R_mul. apply (coef_R s); assumption. apply nth_VR, nth_MR; exact HS. }
  assert (Hin : In j (seq 0 d)) by (apply in_seq; lia).
  pose proof (proj1 (forallb_forall _ _) Ej j Hin) as Ez. cbv beta in Ez.
  pose proof (R_zero_num t _ _ (R_sub t _ _ _ _ (nth_VR t z Z j Hz) Hcomb) (zero_on_sound _ _ _ Ez Ht)).
  unfold at_. lra. Qed.

Fixpoint scover (s : iset) (d : nat) (A S : list (list rq)) (X : list nat) (cs : list (list rq)) : bool :=
  match X, cs with
  | [], [] => true
  | x :: X', c :: cs' => sspan_ok s d (nth x A []) S c && scover s d A S X' cs'
  | _, _ => false
  end.
Lemma scover_sound s d t A SA S SS X cs : in_set s t -> MR t A SA -> MR t S SS -> scover s d SA SS X cs = true ->
  forall x, In x X -> in_span d (row A x) S.
Proof. intros Ht HA HS. revert cs. induction X as [| x X IH]; intros [| c cs] E y Hy; cbn [scover In] in *; try discriminate.
  contradiction. apply andb_true_iff in E as [E1 E2]. destruct Hy as [<- | Hy].
  - apply (sspan_sound s d t _ (nth x SA []) S SS c Ht). apply nth_MR; exact HA. exact HS. exact E1.
  - exact (IH cs E2 y Hy). Qed.

Definition smatch_on (s : iset) (d : nat) (pn1 pn2 : pnetwork) (k : nat) (X : mat) (Xs Ys : list nat)
    (cx cy : list (list rq)) : bool :=
  match sacts s pn1 k X, sacts s pn2 k X with
  | Some A, Some B => scover s d A (map (fun y => nth y B []) Ys) Xs cx && scover s d B (map (fun x => nth x A []) Xs) Ys cy
  | _, _ => false
  end.
Lemma match_on s d pn1 pn2 k X Xs Ys cx cy t : in_set s t -> smatch_on s d pn1 pn2 k X Xs Ys cx cy = true ->
  is_match d (acts (inst pn1 t) k X) (acts (inst pn2 t) k X) Xs Ys.
Proof. intros Ht E. unfold smatch_on in E.
  destruct (sacts s pn1 k X) as [SA |] eqn:EA; [| discriminate]. destruct (sacts s pn2 k X) as [SB |] eqn:EB; [| discriminate].
  pose proof (sacts_sound _ _ _ _ _ t Ht EA) as HA. pose proof (sacts_sound _ _ _ _ _ t Ht EB) as HB.
  apply andb_true_iff in E as [E1 E2]. split.
  - apply (scover_sound s d t _ SA _ (map (fun y => nth y SB []) Ys) Xs cx Ht HA). unfold rows, row. apply (map_rel _ _ _ eq). intros a b <-.
    apply nth_MR; exact HB. clear. induction Ys; constructor; auto. exact E1.
  - apply (scover_sound s d t _ SB _ (map (fun x => nth x SA []) Xs) Ys cy Ht HB). unfold rows, row. apply (map_rel _ _ _ eq). intros a b <-.
    apply nth_MR; exact HA. clear. induction Xs; constructor; auto. exact E2. Qed.

(* --- the pieces cover the admissible set --- *)
Definition on (P : Q -> Prop) (lo hi : option Q) : Prop := forall t, in_set (IOpen lo hi) t -> P t.
Lemma on_split P lo hi c : on P lo (Some c) -> (forall t, in_set (IPoint c) t -> P t) -> on P (Some c) hi -> on P lo hi.
Proof. intros H1 H2 H3 t [Hl Hh]. destruct (Q_dec t c) as [[Hlt | Hgt] | Heq].
  apply H1; split; assumption. apply H3; split; assumption. apply H2; exact Heq. Qed.
Definition start (a : sign_assumption) : option Q := match a with Positive => Some 0 | _ => None end.
Definition stop (a : sign_assumption) : option Q := match a with Negative => Some 0 | _ => None end.
Lemma on_all a ds (C : Q -> Prop) : on (fun t => admissible a ds t -> C t) (start a) (stop a) ->
  forall t, admissible a ds t -> C t.
Proof. intros H t Ht. apply H; [| exact Ht]. destruct Ht as [Ha _]. destruct a; cbn in *; auto. Qed.
(* a left-out point (a pole, or the 0 of a nonzero parameter) is not admissible *)
Lemma excluded a ds c : admissibleb a ds c = false -> forall t, in_set (IPoint c) t -> ~ admissible a ds t.
Proof. intros E t Ht [Ha Hd]. cbn [in_set] in Ht. unfold admissibleb in E. apply andb_false_iff in E as [E | E].
  - destruct a; cbn [assumedb assumed] in *; try discriminate.
    + rewrite Ht in Ha. apply Qltb_spec in Ha. congruence.
    + rewrite Ht in Ha. apply Qltb_spec in Ha. congruence.
    + apply Ha. rewrite Ht. apply Qeq_bool_iff. destruct (Qeq_bool c 0); [reflexivity | discriminate].
  - apply (proj2 (Bool.not_true_iff_false _)) in E. apply E. apply forallb_forall. intros d Hin.
    rewrite Forall_forall in Hd. specialize (Hd d Hin). destruct (Qeq_bool (peval d c) 0) eqn:Z; [| reflexivity].
    exfalso. apply Hd. rewrite (peval_compat d t c Ht). apply Qeq_bool_iff; exact Z. Qed.

(* --- linear CKA on a piece: the centred Grams' Frobenius products as rational functions --- *)
Lemma R_sumn t n f g : (forall i, R t (f i) (g i)) -> R t (sumn n f) (ssumn n g).
Proof. intro H. induction n as [| n IH]; cbn [sumn ssumn]. apply R_const.
  eapply R_compat. symmetry; apply Qred_correct. apply R_add. exact IH. apply H. Qed.
Lemma R_nonneg t a r : R t a r -> 0 <= peval (fst r) t -> 0 <= a.
Proof. intros [H1 H2] E. rewrite H2. unfold reval. apply Qle_shift_div_l. exact H1. lra. Qed.
Definition sdiv (x y : rq) : rq := (pmul (fst x) (snd y), pmul (snd x) (fst y)).
Lemma R_div t a b x y : R t a x -> R t b y -> 0 < peval (fst y) t -> R t (a / b) (sdiv x y).
Proof. intros [Hx Ha] [Hy Hb] Hn. unfold R, reval, sdiv in *; cbn [fst snd] in *. rewrite !peval_pmul.
  split. apply Qmult_lt_0_compat; assumption. rewrite Ha, Hb. field. repeat split; intro E; lra. Qed.

Definition scenter (d : nat) (A : list (list rq)) : list (list rq) :=
  map (fun r => let m := rmul (ssumn d (fun j => nth j r (rconst 0))) (rconst (/ inject_Z (Z.of_nat d))) in
                map (fun x => rsub x m) r) A.
Lemma scenter_sound t d A SA : MR t A SA -> MR t (center d A) (scenter d SA).
Proof. intro H. unfold center, scenter. apply (map_rel _ _ _ (VR t)). 2: exact H. intros r Rr Hr.
  assert (Hm : R t (sumn d (at_ r) / inject_Z (Z.of_nat d))
                   (rmul (ssumn d (fun j => nth j Rr (rconst 0))) (rconst (/ inject_Z (Z.of_nat d))))).
  { apply R_mul. apply R_sumn. intro i. apply nth_VR; exact Hr. apply R_const. }
  apply (map_rel _ _ _ (R t)). intros a b Hab. apply R_sub; assumption. exact Hr. Qed.

Definition sdotv (d : nat) (u v : list rq) : rq := ssumn d (fun j => rmul (nth j u (rconst 0)) (nth j v (rconst 0))).
Definition shsic (d : nat) (SR SS : list (list rq)) : rq :=
  ssumn (length SR) (fun i => ssumn (length SS) (fun j =>
    rmul (sdotv d (nth i SR []) (nth j SS [])) (sdotv d (nth i SR []) (nth j SS [])))).
Lemma shsic_sound t d Rm SR Sm SS : MR t Rm SR -> MR t Sm SS -> R t (hsic d Rm Sm) (shsic d SR SS).
Proof. intros HR HS. unfold hsic, shsic.
  assert (L1 : @length vec Rm = length SR) by exact (F2_length _ _ _ HR).
  assert (L2 : @length vec Sm = length SS) by exact (F2_length _ _ _ HS). rewrite L1, L2.
  apply R_sumn; intro i; apply R_sumn; intro j.
  assert (Hd : R t (dotv d (row Rm i) (row Sm j)) (sdotv d (nth i SR []) (nth j SS []))).
  { unfold dotv, sdotv. apply R_sumn. intro k. apply R_mul; apply nth_VR, nth_MR; assumption. }
  apply R_mul; exact Hd. Qed.

(* CKA^2 = h0^2 / (h1 h2) as one rational function, when h1 and h2 are positive on the piece *)
Definition scka (s : iset) (d : nat) (A B : list (list rq)) : option rq :=
  let Ac := scenter d A in let Bc := scenter d B in
  let h0 := shsic d Ac Bc in let h1 := shsic d Ac Ac in let h2 := shsic d Bc Bc in
  if pos_onb s (fst h1) && pos_onb s (fst h2) then Some (sdiv (rmul h0 h0) (rmul h1 h2)) else None.
Lemma scka_sound s t d A SA B SB c : in_set s t -> MR t A SA -> MR t B SB -> scka s d SA SB = Some c ->
  ~ hsic d (center d A) (center d A) == 0 /\ ~ hsic d (center d B) (center d B) == 0 /\ R t (cka2 d A B) c.
Proof. intros Ht HA HB E. unfold scka in E. cbv zeta in E.
  pose proof (scenter_sound t d _ _ HA) as HAc. pose proof (scenter_sound t d _ _ HB) as HBc.
  pose proof (shsic_sound t d _ _ _ _ HAc HBc) as H0.
  pose proof (shsic_sound t d _ _ _ _ HAc HAc) as H1. pose proof (shsic_sound t d _ _ _ _ HBc HBc) as H2.
  destruct (pos_onb s (fst (shsic d (scenter d SA) (scenter d SA)))) eqn:P1; [| discriminate].
  destruct (pos_onb s (fst (shsic d (scenter d SB) (scenter d SB)))) eqn:P2; [| discriminate].
  cbn [andb] in E. inversion E; subst. clear E.
  pose proof (pos_on_sound _ _ _ P1 Ht) as Q1. pose proof (pos_on_sound _ _ _ P2 Ht) as Q2.
  pose proof (R_sign_pos _ _ _ H1 Q1). pose proof (R_sign_pos _ _ _ H2 Q2).
  split; [intro F; lra |]. split; [intro F; lra |].
  unfold cka2. cbv zeta. apply R_div. apply R_mul; exact H0. apply R_mul; assumption.
  unfold rmul; cbn [fst]. rewrite peval_pmul. apply Qmult_lt_0_compat; assumption. Qed.

Definition scmp_ok (s : iset) (c : rq) (eq lo hi : option Q) : bool :=
  optb (fun u => zero_onb s (fst (rsub c (rconst (u * u))))) eq &&
  optb (fun u => nonneg_onb s (fst (rsub c (rconst (u * u))))) lo &&
  optb (fun u => nonneg_onb s (fst (rsub (rconst (u * u)) c))) hi.
Definition scka_on (s : iset) (d : nat) (pn1 pn2 : pnetwork) (k : nat) (X : mat) (eq lo hi : option Q) : bool :=
  match sacts s pn1 k X, sacts s pn2 k X with
  | Some A, Some B => match scka s d A B with Some c => scmp_ok s c eq lo hi | None => false end
  | _, _ => false
  end.

Lemma nonneg_on_sound s p t : nonneg_onb s p = true -> in_set s t -> 0 <= peval p t.
Proof. unfold nonneg_onb. intros H Ht. apply orb_true_iff in H as [H | H].
  rewrite (zero_on_sound _ _ _ H Ht). apply Qle_refl. apply Qlt_le_weak. exact (pos_on_sound _ _ _ H Ht). Qed.
Lemma cmp_eq s t a c u : in_set s t -> R t a c -> zero_onb s (fst (rsub c (rconst u))) = true -> a == u.
Proof. intros Ht Ha E. pose proof (R_zero_num t _ _ (R_sub t _ _ _ _ Ha (R_const t u)) (zero_on_sound _ _ _ E Ht)). lra. Qed.
Lemma cmp_le s t a c u : in_set s t -> R t a c -> nonneg_onb s (fst (rsub c (rconst u))) = true -> u <= a.
Proof. intros Ht Ha E. pose proof (R_nonneg t _ _ (R_sub t _ _ _ _ Ha (R_const t u)) (nonneg_on_sound _ _ _ E Ht)). lra. Qed.
Lemma cmp_ge s t a c u : in_set s t -> R t a c -> nonneg_onb s (fst (rsub (rconst u) c)) = true -> a <= u.
Proof. intros Ht Ha E. pose proof (R_nonneg t _ _ (R_sub t _ _ _ _ (R_const t u) Ha) (nonneg_on_sound _ _ _ E Ht)). lra. Qed.

Lemma cka_on s d pn1 pn2 k X eq lo hi t : in_set s t -> scka_on s d pn1 pn2 k X eq lo hi = true ->
  cka_claim d (acts (inst pn1 t) k X) (acts (inst pn2 t) k X) eq lo hi.
Proof. intros Ht E. unfold scka_on in E.
  destruct (sacts s pn1 k X) as [SA |] eqn:EA; [| discriminate]. destruct (sacts s pn2 k X) as [SB |] eqn:EB; [| discriminate].
  destruct (scka s d SA SB) as [c |] eqn:Ec; [| discriminate].
  destruct (scka_sound s t d _ _ _ _ c Ht (sacts_sound _ _ _ _ _ t Ht EA) (sacts_sound _ _ _ _ _ t Ht EB) Ec) as [N1 [N2 Hc]].
  unfold scmp_ok in E. apply andb_true_iff in E as [E E3]. apply andb_true_iff in E as [E1 E2].
  unfold cka_claim. refine (conj N1 (conj N2 (conj _ (conj _ _)))).
  - destruct eq; cbn [opt optb] in *; [exact (cmp_eq s t _ _ _ Ht Hc E1) | exact I].
  - destruct lo; cbn [opt optb] in *; [exact (cmp_le s t _ _ _ Ht Hc E2) | exact I].
  - destruct hi; cbn [opt optb] in *; [exact (cmp_ge s t _ _ _ Ht Hc E3) | exact I]. Qed.

(* CKA or CKA^2 (sq) against bounds c sqrt(q), stated on squares (cka_surd_claim) *)
Definition scmp2_ok (s : iset) (c : rq) (eq lo hi : option (Q * Q)) : bool :=
  optb2 (fun u => surd_okb u && zero_onb s (fst (rsub c (rconst (surd_sq u))))) eq &&
  optb2 (fun u => surd_okb u && nonneg_onb s (fst (rsub c (rconst (surd_sq u))))) lo &&
  optb2 (fun u => surd_okb u && nonneg_onb s (fst (rsub (rconst (surd_sq u)) c))) hi.
Definition scka_surd_on (s : iset) (d : nat) (pn1 pn2 : pnetwork) (k : nat) (X : mat) (sq : bool)
    (eq lo hi : option (Q * Q)) : bool :=
  match sacts s pn1 k X, sacts s pn2 k X with
  | Some A, Some B => match scka s d A B with Some c => scmp2_ok s (if sq then rmul c c else c) eq lo hi | None => false end
  | _, _ => false
  end.
Lemma surd_okb_sound u : surd_okb u = true -> surd_ok u.
Proof. unfold surd_okb, surd_ok. intro H. apply andb_true_iff in H as [H1 H2]. apply Qle_bool_iff in H1, H2. auto. Qed.
Lemma cka_surd_on s d pn1 pn2 k X sq eq lo hi t : in_set s t -> scka_surd_on s d pn1 pn2 k X sq eq lo hi = true ->
  cka_surd_claim d (acts (inst pn1 t) k X) (acts (inst pn2 t) k X) sq eq lo hi.
Proof. intros Ht E. unfold scka_surd_on in E.
  destruct (sacts s pn1 k X) as [SA |] eqn:EA; [| discriminate]. destruct (sacts s pn2 k X) as [SB |] eqn:EB; [| discriminate].
  destruct (scka s d SA SB) as [c |] eqn:Ec; [| discriminate].
  destruct (scka_sound s t d _ _ _ _ c Ht (sacts_sound _ _ _ _ _ t Ht EA) (sacts_sound _ _ _ _ _ t Ht EB) Ec) as [N1 [N2 Hc]].
  set (A := acts (inst pn1 t) k X) in *. set (B := acts (inst pn2 t) k X) in *.
  assert (Hx : R t (cka_sq d A B sq) (if sq then rmul c c else c)) by (unfold cka_sq; destruct sq; [apply R_mul |]; exact Hc).
  set (x := if sq then rmul c c else c) in *.
  unfold scmp2_ok in E. apply andb_true_iff in E as [E E3]. apply andb_true_iff in E as [E1 E2].
  unfold cka_surd_claim. refine (conj N1 (conj N2 (conj _ (conj _ _)))).
  - destruct eq as [u |]; cbn [opt2 optb2] in *; [| exact I]. apply andb_true_iff in E1 as [U E1].
    exact (conj (surd_okb_sound u U) (cmp_eq s t _ _ _ Ht Hx E1)).
  - destruct lo as [u |]; cbn [opt2 optb2] in *; [| exact I]. apply andb_true_iff in E2 as [U E2].
    exact (conj (surd_okb_sound u U) (cmp_le s t _ _ _ Ht Hx E2)).
  - destruct hi as [u |]; cbn [opt2 optb2] in *; [| exact I]. apply andb_true_iff in E3 as [U E3].
    exact (conj (surd_okb_sound u U) (cmp_ge s t _ _ _ Ht Hx E3)). Qed.

(* --- equal functions by a positive rescaling of the neurons (identity permutation) ---
   g's neuron i of layer l is c_li times f's: g's weights c_li f_ij / c_(l-1)j, biases c_li b_i,
   c > 0, the inputs' and the outputs' scales 1.  relu(c q) = c relu(q) for c > 0, so layer by
   layer g's values are f's scaled, and the outputs agree at every x. *)
Fixpoint hscaled (c hf hg : vec) : Prop :=
  match c, hf, hg with
  | [], [], [] => True
  | ci :: c', a :: hf', b :: hg' => 0 < ci /\ b == ci * a /\ hscaled c' hf' hg'
  | _, _, _ => False
  end.
Fixpoint scaled_row (ci : Q) (rg rf cin : vec) : Prop :=
  match rg, rf, cin with
  | [], [], _ => True
  | a :: rg', b :: rf', c :: cin' => a == ci * b / c /\ scaled_row ci rg' rf' cin'
  | _, _, _ => False
  end.
Fixpoint layer_ok (c : vec) (Wg Wf : mat) (bg bf : vec) (cin : vec) : Prop :=
  match c, Wg, Wf, bg, bf with
  | [], [], [], [], [] => True
  | ci :: c', rg :: Wg', rf :: Wf', a :: bg', b :: bf' =>
      0 < ci /\ scaled_row ci rg rf cin /\ a == ci * b /\ layer_ok c' Wg' Wf' bg' bf' cin
  | _, _, _, _, _ => False
  end.
Fixpoint net_ok (cs : list vec) (g f : network) (cin : vec) : Prop :=
  match cs, g, f with
  | [], [], [] => True
  | c :: cs', Lg :: g', Lf :: f' => act Lg = act Lf /\ layer_ok c (weights Lg) (weights Lf) (bias Lg) (bias Lf) cin /\ net_ok cs' g' f' c
  | _, _, _ => False
  end.

Lemma dot_scaled ci rg rf cin hf hg : hscaled cin hf hg -> scaled_row ci rg rf cin -> dotl rg hg == ci * dotl rf hf.
Proof. revert rf cin hf hg. induction rg as [| a rg IH]; intros [| b rf] cin hf hg Hh Hr; cbn [scaled_row] in Hr; try contradiction.
  - rewrite !dotl_nil. ring.
  - destruct cin as [| c cin]; [contradiction |]. destruct Hr as [Ha Hr].
    destruct hf as [| x hf]; destruct hg as [| y hg]; cbn [hscaled] in Hh; try contradiction.
    destruct Hh as [Hc [Hy Hh]]. rewrite !dotl_cons, (IH rf cin hf hg Hh Hr), Ha, Hy. field. intro E; lra. Qed.
Lemma relu_scale c q : 0 < c -> relu (c * q) == c * relu q.
Proof. intro Hc. unfold relu. destruct (Qle_bool q 0) eqn:E1; destruct (Qle_bool (c * q) 0) eqn:E2.
  - ring.
  - apply Qle_bool_iff in E1. exfalso. assert (c * q <= 0) by nra. apply Qle_bool_iff in H. congruence.
  - exfalso. assert (~ q <= 0) by (intro F; apply Qle_bool_iff in F; congruence). apply Qle_bool_iff in E2. nra.
  - reflexivity. Qed.
Lemma layer_scaled Lf Lg c cin hf hg : act Lg = act Lf -> layer_ok c (weights Lg) (weights Lf) (bias Lg) (bias Lf) cin ->
  hscaled cin hf hg -> hscaled c (layer_out Lf hf) (layer_out Lg hg).
Proof. intros Ha Hl Hh. unfold layer_out. rewrite Ha. generalize (weights Lg) (weights Lf) (bias Lg) (bias Lf) Hl. clear Hl.
  induction c as [| ci c IH]; intros [| rg Wg] [| rf Wf] [| a bg] [| b bf] Hl; cbn [layer_ok] in Hl; try contradiction.
  - reflexivity.
  - destruct Hl as [Hc [Hr [Hb Hl]]]. cbn [combine map hscaled fst snd]. split. exact Hc. split. 2: exact (IH _ _ _ _ Hl).
    assert (Hq : Qred (dotl rg hg + a) == ci * Qred (dotl rf hf + b)).
    { rewrite !Qred_correct, (dot_scaled ci rg rf cin hf hg Hh Hr), Hb. ring. }
    destruct (act Lf). rewrite <- relu_scale by exact Hc. apply relu_compat. exact Hq. exact Hq. Qed.
Lemma last_indep {A : Type} (v : A) cs d1 d2 : last (v :: cs) d1 = last (v :: cs) d2.
Proof. revert v. induction cs as [| w cs IH]; intro v. reflexivity. cbn [last]. apply IH. Qed.
Lemma output_scaled cs g f cin hf hg : net_ok cs g f cin -> hscaled cin hf hg -> hscaled (last cs cin) (output f hf) (output g hg).
Proof. unfold output, value. revert g f cin hf hg. induction cs as [| c cs IH]; intros [| Lg g] [| Lf f] cin hf hg Hn Hh;
    cbn [net_ok] in Hn; try contradiction.
  - exact Hh.
  - destruct Hn as [Ha [Hl Hn]]. cbn [length values nth].
    pose proof (IH g f c _ _ Hn (layer_scaled Lf Lg c cin hf hg Ha Hl Hh)) as H.
    destruct cs as [| v cs]. exact H. change (last (c :: v :: cs) cin) with (last (v :: cs) cin).
    rewrite (last_indep v cs cin c). exact H. Qed.
Lemma hscaled_ones_eq c hf hg : hscaled c hf hg -> Forall (fun q => q == 1) c -> Forall2 Qeq hf hg.
Proof. revert hf hg. induction c as [| ci c IH]; intros [| a hf] [| b hg] H F; cbn [hscaled] in H; try contradiction.
  constructor. inversion F; subst. destruct H as [_ [Hb H]]. constructor. rewrite Hb, H2. ring. exact (IH _ _ H H3). Qed.
Lemma scaling_equal n D f g cs cin : net_ok cs g f cin -> (forall x, length x = n -> hscaled cin x x) ->
  Forall (fun q => q == 1) (last cs cin) -> equal_on n D f g.
Proof. intros Hn Hi Ho x Hx _. apply (hscaled_ones_eq (last cs cin)). apply (output_scaled cs g f cin x x Hn (Hi x Hx)). exact Ho. Qed.

(* the same on a piece: entries and scales rational functions of t, the identities checked symbolically *)
Fixpoint srow_ok (s : iset) (ci : rq) (rg rf : list entry) (cin : list rq) : bool :=
  match rg, rf, cin with
  | [], [], _ => true
  | a :: rg', b :: rf', c :: cin' =>
      match sentry s a, sentry s b with
      | Some x, Some y => zero_onb s (fst (rsub x (rmul ci (sdiv y c)))) && srow_ok s ci rg' rf' cin'
      | _, _ => false
      end
  | _, _, _ => false
  end.
Fixpoint slayer_ok (s : iset) (c : list rq) (Wg Wf : list (list entry)) (bg bf : list entry) (cin : list rq) : bool :=
  match c, Wg, Wf, bg, bf with
  | [], [], [], [], [] => true
  | ci :: c', rg :: Wg', rf :: Wf', a :: bg', b :: bf' =>
      pos_onb s (fst ci) && pos_onb s (snd ci) && srow_ok s ci rg rf cin &&
      match sentry s a, sentry s b with Some x, Some y => zero_onb s (fst (rsub x (rmul ci y))) | _, _ => false end &&
      slayer_ok s c' Wg' Wf' bg' bf' cin
  | _, _, _, _, _ => false
  end.
Definition act_eqb (a b : activation) : bool :=
  match a, b with Relu, Relu | Identity, Identity => true | _, _ => false end.
Fixpoint snet_ok (s : iset) (cs : list (list rq)) (g f : pnetwork) (cin : list rq) : bool :=
  match cs, g, f with
  | [], [], [] => true
  | c :: cs', Lg :: g', Lf :: f' =>
      act_eqb (pact Lg) (pact Lf) && slayer_ok s c (pweights Lg) (pweights Lf) (pbias Lg) (pbias Lf) cin && snet_ok s cs' g' f' c
  | _, _, _ => false
  end.
Definition sym_on (s : iset) (n : nat) (pg pf : pnetwork) (cs : list (list rq)) : bool :=
  snet_ok s cs pg pf (repeat (rconst 1) n) &&
  forallb (fun r => pos_onb s (snd r) && zero_onb s (fst (rsub r (rconst 1)))) (last cs (repeat (rconst 1) n)).

Definition posr (t : Q) (r : rq) : Prop := 0 < peval (fst r) t /\ 0 < peval (snd r) t.
Lemma posr_R t r : posr t r -> R t (reval r t) r.
Proof. intros [_ H]. split. exact H. reflexivity. Qed.
Lemma posr_val t r : posr t r -> 0 < reval r t.
Proof. intro H. apply (R_sign_pos t _ r (posr_R t r H)). apply H. Qed.

Lemma srow_sound s t ci rg rf cin : in_set s t -> posr t ci -> Forall (posr t) cin -> srow_ok s ci rg rf cin = true ->
  scaled_row (reval ci t) (map (fun e => ev e t) rg) (map (fun e => ev e t) rf) (map (fun r => reval r t) cin).
Proof. intros Ht Hc. revert rf cin. induction rg as [| a rg IH]; intros [| b rf] cin Hin E; cbn [srow_ok] in E; try discriminate.
  - exact I.
  - destruct cin as [| c cin]; [discriminate |]. inversion Hin as [| ? ? Hc0 Hin']; subst.
    destruct (sentry s a) as [x |] eqn:Ex; [| discriminate]. destruct (sentry s b) as [y |] eqn:Ey; [| discriminate].
    apply andb_true_iff in E as [E1 E2]. cbn [map scaled_row]. split. 2: exact (IH rf cin Hin' E2).
    pose proof (sentry_sound s a x t Ht Ex) as Ra. pose proof (sentry_sound s b y t Ht Ey) as Rb.
    pose proof (R_div t _ _ _ _ Rb (posr_R t c Hc0) (proj1 Hc0)) as Rd.
    pose proof (R_mul t _ _ _ _ (posr_R t ci Hc) Rd) as Rm.
    pose proof (R_zero_num t _ _ (R_sub t _ _ _ _ Ra Rm) (zero_on_sound _ _ _ E1 Ht)) as Z.
    pose proof (posr_val t c Hc0). assert (ev a t == reval ci t * (ev b t / reval c t)) by lra.
    rewrite H0. field. intro F; lra. Qed.

Lemma slayer_sound' s t c Wg Wf bg bf cin : in_set s t -> Forall (posr t) cin -> slayer_ok s c Wg Wf bg bf cin = true ->
  Forall (posr t) c /\
  layer_ok (map (fun r => reval r t) c) (map (map (fun e => ev e t)) Wg) (map (map (fun e => ev e t)) Wf)
           (map (fun e => ev e t) bg) (map (fun e => ev e t) bf) (map (fun r => reval r t) cin).
Proof. intros Ht Hin. revert Wg Wf bg bf. induction c as [| ci c IH]; intros [| rg Wg] [| rf Wf] [| a bg] [| b bf] E;
    cbn [slayer_ok] in E; try discriminate.
  - split; constructor.
  - apply andb_true_iff in E as [E E5]. apply andb_true_iff in E as [E E4]. apply andb_true_iff in E as [E E3].
    apply andb_true_iff in E as [E1 E2].
    assert (Hc : posr t ci) by (split; [exact (pos_on_sound _ _ _ E1 Ht) | exact (pos_on_sound _ _ _ E2 Ht)]).
    destruct (IH Wg Wf bg bf E5) as [Hp Hl]. split. constructor; assumption.
    cbn [map layer_ok]. refine (conj (posr_val t ci Hc) (conj (srow_sound s t ci rg rf cin Ht Hc Hin E3) (conj _ Hl))).
    destruct (sentry s a) as [x |] eqn:Ex; [| discriminate]. destruct (sentry s b) as [y |] eqn:Ey; [| discriminate].
    pose proof (sentry_sound s a x t Ht Ex) as Ra. pose proof (sentry_sound s b y t Ht Ey) as Rb.
    pose proof (R_zero_num t _ _ (R_sub t _ _ _ _ Ra (R_mul t _ _ _ _ (posr_R t ci Hc) Rb)) (zero_on_sound _ _ _ E4 Ht)).
    lra. Qed.

Lemma act_eqb_eq a b : act_eqb a b = true -> a = b.
Proof. destruct a, b; cbn; congruence. Qed.
Lemma snet_sound s t cs pg pf cin : in_set s t -> Forall (posr t) cin -> snet_ok s cs pg pf cin = true ->
  net_ok (map (map (fun r => reval r t)) cs) (inst pg t) (inst pf t) (map (fun r => reval r t) cin).
Proof. intros Ht. revert pg pf cin. induction cs as [| c cs IH]; intros [| Lg pg] [| Lf pf] cin Hin E;
    cbn [snet_ok] in E; try discriminate.
  - exact I.
  - apply andb_true_iff in E as [E E3]. apply andb_true_iff in E as [E1 E2].
    destruct (slayer_sound' s t c _ _ _ _ cin Ht Hin E2) as [Hp Hl].
    cbn [map inst net_ok]. unfold inst_layer at 1 2; cbn [act weights bias].
    refine (conj (act_eqb_eq _ _ E1) (conj Hl _)). exact (IH pg pf c Hp E3). Qed.

Lemma last_map {A B : Type} (f : A -> B) l d : last (map f l) (f d) = f (last l d).
Proof. induction l as [| a l IH]. reflexivity. destruct l as [| b l]. reflexivity.
  change (last (map f (a :: b :: l)) (f d)) with (last (map f (b :: l)) (f d)). rewrite IH. reflexivity. Qed.

Lemma sym_equal_on s n D pg pf cs t : in_set s t -> sym_on s n pg pf cs = true -> equal_on n D (inst pf t) (inst pg t).
Proof. intros Ht E. unfold sym_on in E. apply andb_true_iff in E as [E1 E2].
  assert (H1 : Forall (posr t) (repeat (rconst 1) n)).
  { apply Forall_forall. intros r Hr. apply repeat_spec in Hr. subst. unfold posr, rconst; cbn [fst snd peval]. lra. }
  apply (scaling_equal n D _ _ _ _ (snet_sound s t cs pg pf _ Ht H1 E1)).
  - intros x Hx. subst n. clear. induction x as [| a x IHx]; cbn [repeat map length hscaled]. exact I.
    assert (E1t : reval (rconst 1) t == 1) by (unfold reval, rconst; cbn [fst snd peval]; field; lra).
    rewrite E1t. split. lra. split. ring. exact IHx.
  - match goal with |- Forall _ ?l => replace l with (map (fun r => reval r t) (last cs (repeat (rconst 1) n)))
      by (symmetry; apply (last_map (map (fun r => reval r t)))) end.
    apply Forall_forall. intros q Hq. apply in_map_iff in Hq as [r [<- Hr]].
    pose proof (proj1 (forallb_forall _ _) E2 r Hr) as Z. cbv beta in Z. apply andb_true_iff in Z as [Hd Z].
    pose proof (R_zero_num t _ _ (R_sub t _ _ _ _ (conj (pos_on_sound _ _ _ Hd Ht) (Qeq_refl (reval r t)) : R t (reval r t) r)
                  (R_const t 1)) (zero_on_sound _ _ _ Z Ht)). lra. Qed.

(* --- dimension and isomorphic spans on a piece: basis rows, a triangular chain of vectors w_k
   (w_k . z_j = 0 for j < k, w_k . z_k <> 0 on the piece: the basis rows are independent) and
   coefficients of every row over the basis --- *)
Lemma sumn_single n f k : (k < n)%nat -> (forall i, (i < n)%nat -> i <> k -> f i == 0) -> sumn n f == f k.
Proof. revert k. induction n as [| n IH]; intros k Hk H. lia. rewrite sumn_S.
  destruct (Nat.eq_dec k n) as [-> | Hne].
  - rewrite (sumn_zero n f) by (intros i Hi; apply H; lia). ring.
  - rewrite (IH k) by (try lia; intros i Hi Hik; apply H; lia). rewrite (H n) by lia. ring. Qed.

Lemma chain_independent d (Sv W : list vec) : length W = length Sv ->
  (forall k j, (k < length Sv)%nat -> (j < k)%nat -> dotv d (nth k W []) (nth j Sv []) == 0) ->
  (forall k, (k < length Sv)%nat -> ~ dotv d (nth k W []) (nth k Sv []) == 0) -> independent d Sv.
Proof. intros HL Hz Hn c Hc.
  assert (Hall : forall m, (m <= length Sv)%nat -> forall k, (length Sv - m <= k < length Sv)%nat -> at_ c k == 0).
  { induction m as [| m IH]; intros Hm k Hk. lia.
    destruct (Nat.eq_dec k (length Sv - S m)) as [-> | Hne]; [| apply IH; lia].
    set (k0 := (length Sv - S m)%nat) in *. assert (Hk0 : (k0 + S m = length Sv)%nat) by (unfold k0; lia). clearbody k0.
    assert (E : sumn d (fun j => at_ (nth k0 W []) j * comb c Sv j) == 0)
      by (apply sumn_zero; intros j Hj; rewrite (Hc j Hj); ring).
    rewrite dot_comb in E. rewrite (sumn_single _ _ k0) in E.
    - destruct (Qeq_dec (at_ c k0) 0) as [Z | Z]; [exact Z | exfalso].
      apply (Hn k0); [lia |]. apply (Qmult_integral_l (at_ c k0)); [exact Z | exact E].
    - lia.
    - intros i Hi Hik. destruct (Nat.lt_ge_cases i k0) as [Hlt | Hge].
      + rewrite (Hz k0 i) by lia. ring.
      + rewrite (IH ltac:(lia) i) by lia. ring. }
  intros k Hk. apply (Hall (length Sv)); lia. Qed.

Lemma R_num_zero t a r : R t a r -> a == 0 -> peval (fst r) t == 0.
Proof. intros [H1 H2] E. rewrite E in H2. unfold reval in H2.
  assert (H3 : peval (fst r) t == (peval (fst r) t / peval (snd r) t) * peval (snd r) t) by (field; lra).
  rewrite H3, <- H2. ring. Qed.
Definition snonzero_on (s : iset) (p : poly) : bool := pos_onb s p || pos_onb s (pneg p).
Lemma snonzero_sound s p t : snonzero_on s p = true -> in_set s t -> ~ peval p t == 0.
Proof. unfold snonzero_on. intros H Ht E. apply orb_true_iff in H as [H | H]; pose proof (pos_on_sound _ _ _ H Ht) as P.
  lra. rewrite peval_pneg in P. lra. Qed.
(* the chain on the basis rows SB (in order) *)
Fixpoint schain_ok (s : iset) (d : nat) (W : list (list rq)) (done SB : list (list rq)) : bool :=
  match W, SB with
  | [], [] => true
  | w :: W', z :: SB' => forallb (fun r => pos_onb s (snd r)) w &&
      forallb (fun y => zero_onb s (fst (sdotv d w y))) done && snonzero_on s (fst (sdotv d w z)) &&
      schain_ok s d W' (done ++ [z]) SB'
  | _, _ => false
  end.
Definition sdim_on (s : iset) (d : nat) (A : list (list rq)) (r : nat) (I : list nat) (W : list (list rq))
    (cs : list (list rq)) : bool :=
  Nat.eqb (length I) r && forallb (fun i => Nat.ltb i (length A)) I &&
  schain_ok s d W [] (map (fun i => nth i A []) I) &&
  forallb (fun i => sspan_ok s d (nth i A []) (map (fun i => nth i A []) I) (nth i cs [])) (seq 0 (length A)).

Lemma sdotv_R t d w W z Z : VR t w W -> VR t z Z -> R t (dotv d w z) (sdotv d W Z).
Proof. intros Hw Hz. unfold dotv, sdotv. apply R_sumn. intro j. apply R_mul; apply nth_VR; assumption. Qed.
Lemma wvec_VR s t W : in_set s t -> forallb (fun r => pos_onb s (snd r)) W = true -> VR t (map (fun r => reval r t) W) W.
Proof. intro Ht. induction W as [| r W IH]; cbn [forallb map]; intro H. constructor.
  apply andb_true_iff in H as [H1 H2]. constructor. split. exact (pos_on_sound _ _ _ H1 Ht). reflexivity. exact (IH H2). Qed.

Lemma schain_sound s t d W done SB Sd Sv : in_set s t -> MR t Sd done -> MR t Sv SB -> schain_ok s d W done SB = true ->
  exists Wn, length Wn = length Sv /\
    (forall k j, (k < length Sv)%nat -> (j < length Sd + k)%nat -> dotv d (nth k Wn []) (nth j (Sd ++ Sv) []) == 0) /\
    (forall k, (k < length Sv)%nat -> ~ dotv d (nth k Wn []) (nth k Sv []) == 0).
Proof. intro Ht. revert done SB Sd Sv. induction W as [| w W IH]; intros done SB Sd Sv HD HS E;
    destruct SB as [| z SB]; cbn [schain_ok] in E; try discriminate.
  - inversion HS; subst. exists []. split. reflexivity. split; intros k; cbn [length]; lia.
  - inversion HS as [| zn Z' Sv' SB' Hz HS']; subst.
    apply andb_true_iff in E as [E E4]. apply andb_true_iff in E as [E E3]. apply andb_true_iff in E as [E1 E2].
    assert (HD' : MR t (Sd ++ [zn]) (done ++ [z])) by (apply Forall2_app; [exact HD | constructor; [exact Hz | constructor]]).
    destruct (IH _ _ _ _ HD' HS' E4) as [Wn [HL [H0 H1]]].
    set (wn := map (fun r => reval r t) w). pose proof (wvec_VR s t w Ht E1) as Hw.
    exists (wn :: Wn). split. cbn [length]; lia. split.
    + intros [| k] j Hk Hj; cbn [nth length] in *.
      * rewrite Nat.add_0_r in Hj. rewrite app_nth1 by exact Hj.
        assert (Hin : In (nth j done []) done) by (apply nth_In; rewrite <- (F2_length _ _ _ HD); exact Hj).
        pose proof (proj1 (forallb_forall _ _) E2 _ Hin) as Z. cbv beta in Z.
        apply (R_zero_num t _ _ (sdotv_R t d _ _ _ _ Hw (nth_MR t _ _ j HD)) (zero_on_sound _ _ _ Z Ht)).
      * specialize (H0 k j ltac:(lia)). rewrite app_length in H0. cbn [length] in H0.
        rewrite <- app_assoc in H0. cbn [app] in H0. apply H0. lia.
    + intros [| k] Hk; cbn [nth length] in *.
      * intro F. apply (snonzero_sound _ _ t E3 Ht). exact (R_num_zero t _ _ (sdotv_R t d _ _ _ _ Hw Hz) F).
      * apply H1. lia. Qed.

Lemma sdim_sound s t d A SA r I W cs : in_set s t -> MR t A SA -> sdim_on s d SA r I W cs = true -> dim_span d A r.
Proof. intros Ht HA E. unfold sdim_on in E.
  apply andb_true_iff in E as [E E4]. apply andb_true_iff in E as [E E3]. apply andb_true_iff in E as [E1 E2].
  assert (HS : MR t (rows A I) (map (fun i => nth i SA []) I)).
  { unfold rows, row. apply (map_rel _ _ _ eq). intros a b <-. apply nth_MR; exact HA. clear. induction I; constructor; auto. }
  assert (HlA : @length vec A = length SA) by exact (F2_length _ _ _ HA).
  exists I. split. apply Nat.eqb_eq; exact E1. split.
  - intros i Hi. apply in_seq. pose proof (proj1 (forallb_forall _ _) E2 i Hi) as X. apply Nat.ltb_lt in X. lia.
  - split.
    + destruct (schain_sound s t d W [] _ [] (rows A I) Ht (Forall2_nil _) HS E3) as [Wn [HL [H0 H1]]].
      apply (chain_independent d (rows A I) Wn HL).
      * intros k j Hk Hj. exact (H0 k j Hk ltac:(cbn [length]; lia)).
      * exact H1.
    + intros i Hi. assert (Hin : In i (seq 0 (length SA))) by (apply in_seq; lia).
      pose proof (proj1 (forallb_forall _ _) E4 i Hin) as X. cbv beta in X.
      exact (sspan_sound s d t (row A i) (nth i SA []) (rows A I) _ _ Ht (nth_MR t A SA i HA) HS X). Qed.

Definition sdim_check (s : iset) (d : nat) (pn : pnetwork) (k : nat) (X : mat) (r : nat) (I : list nat)
    (W cs : list (list rq)) : bool :=
  match sacts s pn k X with Some A => sdim_on s d A r I W cs | None => false end.
Lemma dim_on s d pn k X r I W cs t : in_set s t -> sdim_check s d pn k X r I W cs = true -> dim_span d (acts (inst pn t) k X) r.
Proof. intros Ht E. unfold sdim_check in E. destruct (sacts s pn k X) as [SA |] eqn:EA; [| discriminate].
  exact (sdim_sound s t d _ SA r I W cs Ht (sacts_sound _ _ _ _ _ t Ht EA) E). Qed.
Lemma iso_on s d pn1 pn2 k X r I1 W1 cs1 I2 W2 cs2 t : in_set s t ->
  sdim_check s d pn1 k X r I1 W1 cs1 && sdim_check s d pn2 k X r I2 W2 cs2 = true ->
  isomorphic d (acts (inst pn1 t) k X) (acts (inst pn2 t) k X).
Proof. intros Ht E. apply andb_true_iff in E as [E1 E2]. exists r. split; eapply dim_on; eassumption. Qed.
(* two parameters, one per network: the spans have the same dimension r for every value of each *)
Lemma iso_split d A B : (exists r, dim_span d A r /\ dim_span d B r) -> isomorphic d A B.
Proof. exact (fun H => H). Qed.

(* activations equal to a constant matrix on a piece *)
Definition sconst_mat (E : mat) : list (list rq) := map (map rconst) E.
Lemma MR_const t E : MR t E (sconst_mat E).
Proof. induction E as [| r E IH]; constructor. 2: exact IH. induction r; constructor. apply R_const. exact IHr. Qed.
Definition sacts_eq_on (s : iset) (pn : pnetwork) (k : nat) (X E : mat) : bool :=
  match sacts s pn k X with Some A => smat_eqb s A (sconst_mat E) | None => false end.
Lemma acts_eq_on s pn k X E t : in_set s t -> sacts_eq_on s pn k X E = true -> mat_eq (acts (inst pn t) k X) E.
Proof. intros Ht H. unfold sacts_eq_on in H. destruct (sacts s pn k X) as [SA |] eqn:EA; [| discriminate].
  exact (MR_eq s t _ _ _ _ Ht (sacts_sound _ _ _ _ _ t Ht EA) (MR_const t E) H). Qed.

(* --- maximum match on a piece: the removal trace with symbolic w (orthogonal to the other side's
   current neurons as rational functions, w . z_v of one sign on the piece), then coefficients --- *)
Definition sremoval_ok (s : iset) (d : nat) (mine other : list (list rq)) (M O : list nat) (v : nat) (w : list rq) : bool :=
  memb v M && forallb (fun r => pos_onb s (snd r)) w &&
  forallb (fun u => zero_onb s (fst (sdotv d w (nth u other [])))) O &&
  snonzero_on s (fst (sdotv d w (nth v mine []))).
Definition sremoval := (side * nat * list rq)%type.
Fixpoint sreplay (s : iset) (d : nat) (SA SB : list (list rq)) (X Y : list nat) (tr : list sremoval)
  : option (list nat * list nat) :=
  match tr with
  | [] => Some (X, Y)
  | (SX, v, w) :: t => if sremoval_ok s d SA SB X Y v w then sreplay s d SA SB (drop v X) Y t else None
  | (SY, v, w) :: t => if sremoval_ok s d SB SA Y X v w then sreplay s d SA SB X (drop v Y) t else None
  end.

Lemma sremoval_sound s t d mine SM other SO M O v w : in_set s t -> MR t mine SM -> MR t other SO ->
  sremoval_ok s d SM SO M O v w = true -> In v M /\ forall O', incl O' O -> ~ in_span d (row mine v) (rows other O').
Proof. intros Ht HM HO E. unfold sremoval_ok in E.
  apply andb_true_iff in E as [E E4]. apply andb_true_iff in E as [E E3]. apply andb_true_iff in E as [E1 E2].
  split. apply memb_In; exact E1. intros O' Hi Hp.
  pose proof (wvec_VR s t w Ht E2) as Hw. set (wn := map (fun r => reval r t) w) in *.
  assert (Ho : forall x, In x (rows other O) -> dotv d wn x == 0).
  { intros x Hx. unfold rows in Hx. apply in_map_iff in Hx as [u [<- Hu]].
    pose proof (proj1 (forallb_forall _ _) E3 u Hu) as Z. cbv beta in Z.
    exact (R_zero_num t _ _ (sdotv_R t d _ _ _ _ Hw (nth_MR t other SO u HO)) (zero_on_sound _ _ _ Z Ht)). }
  pose proof (in_span_blocks d _ _ _ wn Hp (incl_map (row other) Hi) Ho) as B. cbv beta in B.
  assert (Z : dotv d wn (row mine v) == 0) by nra.
  apply (snonzero_sound _ _ t E4 Ht). exact (R_num_zero t _ _ (sdotv_R t d _ _ _ _ Hw (nth_MR t mine SM v HM)) Z). Qed.

Lemma sreplay_sound s t d A SA B SB : in_set s t -> MR t A SA -> MR t B SB ->
  forall tr X Y X1 Y1, sreplay s d SA SB X Y tr = Some (X1, Y1) ->
  incl X1 X /\ incl Y1 Y /\
  forall X' Y', incl X' X -> incl Y' Y -> is_match d A B X' Y' -> incl X' X1 /\ incl Y' Y1.
Proof. intros Ht HA HB tr. induction tr as [| [[sd v] w] tr IH]; intros X Y X1 Y1 H; cbn [sreplay] in H.
  - injection H; intros; subst. repeat split; auto using incl_refl; intros; tauto.
  - destruct sd.
    + destruct (sremoval_ok s d SA SB X Y v w) eqn:Hc; try discriminate.
      destruct (IH _ _ _ _ H) as [H1 [H2 H3]].
      apply (sremoval_sound s t d A SA B SB X Y v w Ht HA HB) in Hc as [Hv Hn].
      split; [| split]. intros u Hu. apply H1, In_drop in Hu. tauto. auto.
      intros X' Y' Hx Hy Hm. apply H3; auto. intros u Hu. apply In_drop. split. auto.
      intros ->. destruct Hm as [Hmx _]. apply (Hn Y' Hy (Hmx v Hu)).
    + destruct (sremoval_ok s d SB SA Y X v w) eqn:Hc; try discriminate.
      destruct (IH _ _ _ _ H) as [H1 [H2 H3]].
      apply (sremoval_sound s t d B SB A SA Y X v w Ht HB HA) in Hc as [Hv Hn].
      split; [| split]. auto. intros u Hu. apply H2, In_drop in Hu. tauto.
      intros X' Y' Hx Hy Hm. apply H3; auto. intros u Hu. apply In_drop. split. auto.
      intros ->. destruct Hm as [_ Hmy]. apply (Hn X' Hx (Hmy v Hu)). Qed.

Lemma smatch_sound s d t A SA B SB Xs Ys cx cy : in_set s t -> MR t A SA -> MR t B SB ->
  scover s d SA (map (fun y => nth y SB []) Ys) Xs cx && scover s d SB (map (fun x => nth x SA []) Xs) Ys cy = true ->
  is_match d A B Xs Ys.
Proof. intros Ht HA HB E. apply andb_true_iff in E as [E1 E2]. split.
  - apply (scover_sound s d t _ SA _ (map (fun y => nth y SB []) Ys) Xs cx Ht HA). unfold rows, row. apply (map_rel _ _ _ eq).
    intros a b <-. apply nth_MR; exact HB. clear. induction Ys; constructor; auto. exact E1.
  - apply (scover_sound s d t _ SB _ (map (fun x => nth x SA []) Xs) Ys cy Ht HB). unfold rows, row. apply (map_rel _ _ _ eq).
    intros a b <-. apply nth_MR; exact HA. clear. induction Xs; constructor; auto. exact E2. Qed.

Definition smax_on (s : iset) (d : nat) (pn1 pn2 : pnetwork) (k : nat) (X : mat) (Xs Ys : list nat)
    (tr : list sremoval) (cx cy : list (list rq)) : bool :=
  match sacts s pn1 k X, sacts s pn2 k X with
  | Some SA, Some SB =>
      match sreplay s d SA SB (seq 0 (length SA)) (seq 0 (length SB)) tr with
      | Some (X1, Y1) => list_eqb X1 Xs && list_eqb Y1 Ys &&
          (scover s d SA (map (fun y => nth y SB []) Ys) Xs cx && scover s d SB (map (fun x => nth x SA []) Xs) Ys cy)
      | None => false
      end
  | _, _ => false
  end.
Lemma max_match_on s d pn1 pn2 k X Xs Ys tr cx cy t : in_set s t -> smax_on s d pn1 pn2 k X Xs Ys tr cx cy = true ->
  is_max_match d (acts (inst pn1 t) k X) (acts (inst pn2 t) k X) Xs Ys.
Proof. intros Ht E. unfold smax_on in E.
  destruct (sacts s pn1 k X) as [SA |] eqn:EA; [| discriminate]. destruct (sacts s pn2 k X) as [SB |] eqn:EB; [| discriminate].
  pose proof (sacts_sound _ _ _ _ _ t Ht EA) as HA. pose proof (sacts_sound _ _ _ _ _ t Ht EB) as HB.
  set (A := acts (inst pn1 t) k X) in *. set (B := acts (inst pn2 t) k X) in *.
  assert (LA : @length vec A = length SA) by exact (F2_length _ _ _ HA).
  assert (LB : @length vec B = length SB) by exact (F2_length _ _ _ HB).
  destruct (sreplay s d SA SB _ _ tr) as [[X1 Y1] |] eqn:Hr; [| discriminate].
  apply andb_true_iff in E as [E Hm]. apply andb_true_iff in E as [Hx Hy].
  apply list_eqb_eq in Hx, Hy. subst X1 Y1.
  destruct (sreplay_sound s t d A SA B SB Ht HA HB _ _ _ _ _ Hr) as [H1 [H2 H3]].
  unfold is_max_match, is_max. rewrite LA, LB.
  split; [exact (smatch_sound s d t A SA B SB Xs Ys cx cy Ht HA HB Hm) |]. split; [exact H1 |]. split; [exact H2 |].
  intros X' Y' Hx Hy Hm'. apply H3; auto. Qed.

(* --- match similarity at eps = 0 on a piece: the maximum match (exact, hence within 0) and its size --- *)
Lemma sumn_sq_zero n f : sumn n (fun j => f j * f j) <= 0 -> forall j, (j < n)%nat -> f j == 0.
Proof. induction n as [| n IH]; intros H j Hj. lia. rewrite sumn_S in H.
  assert (H0 : 0 <= sumn n (fun j => f j * f j)) by (apply sumn_nonneg; intro i; nra).
  assert (H1 : f n * f n <= 0) by lra. assert (H2 : sumn n (fun j => f j * f j) <= 0) by nra.
  destruct (Nat.eq_dec j n) as [-> | Hne]. nra. apply IH; [exact H2 | lia]. Qed.
Lemma span_within0 d z S : in_span d z S <-> within d (0 * 0) z S.
Proof. split.
  - intros [c Hc]. exists c. unfold resid2. rewrite (sumn_zero d) by (intros j Hj; rewrite (Hc j Hj); ring). lra.
  - intros [c Hc]. exists c. intros j Hj. unfold resid2 in Hc.
    assert (H : sumn d (fun j => (at_ z j - comb c S j) * (at_ z j - comb c S j)) <= 0).
    { apply Qle_trans with (0 * 0 * n2 d z). exact Hc. lra. }
    pose proof (sumn_sq_zero d (fun j => at_ z j - comb c S j) H j Hj). cbv beta in H0. lra. Qed.
Lemma is_max_iff (P P' : vec -> list vec -> Prop) A B X Y : (forall z S, P z S <-> P' z S) -> is_max P A B X Y -> is_max P' A B X Y.
Proof. intros E [[Hx Hy] [Ha [Hb Hm]]]. split; [split |]. intros x Hin; apply E; auto. intros y Hin; apply E; auto.
  split; [exact Ha |]. split; [exact Hb |]. intros X' Y' H1 H2 [H3 H4]. apply Hm; auto. split.
  intros x Hin; apply E; auto. intros y Hin; apply E; auto. Qed.
Lemma sreplay_nodup s d SA SB : forall tr X Y X1 Y1, NoDup X -> NoDup Y ->
  sreplay s d SA SB X Y tr = Some (X1, Y1) -> NoDup X1 /\ NoDup Y1.
Proof. intros tr; induction tr as [| [[sd v] w] tr IH]; intros X Y X1 Y1 Hx Hy H; cbn [sreplay] in H.
  injection H; intros; subst; auto.
  destruct sd.
  - destruct (sremoval_ok s d SA SB X Y v w); try discriminate. exact (IH _ _ _ _ (NoDup_drop v X Hx) Hy H).
  - destruct (sremoval_ok s d SB SA Y X v w); try discriminate. exact (IH _ _ _ _ Hx (NoDup_drop v Y Hy) H). Qed.

Definition ssim_on (s : iset) (d : nat) (pn1 pn2 : pnetwork) (k : nat) (X : mat) (Xs Ys : list nat)
    (tr : list sremoval) (cx cy : list (list rq)) (sim : Q) : bool :=
  smax_on s d pn1 pn2 k X Xs Ys tr cx cy &&
  match sacts s pn1 k X, sacts s pn2 k X with
  | Some SA, Some SB => Qeq_bool (inject_Z (Z.of_nat (length Xs + length Ys))) (sim * inject_Z (Z.of_nat (length SA + length SB)))
  | _, _ => false
  end.
Lemma similarity_on s d pn1 pn2 k X Xs Ys tr cx cy sim t : in_set s t -> ssim_on s d pn1 pn2 k X Xs Ys tr cx cy sim = true ->
  match_similarity d (0 * 0) (acts (inst pn1 t) k X) (acts (inst pn2 t) k X) sim.
Proof. intros Ht E. unfold ssim_on in E. apply andb_true_iff in E as [E1 E2].
  pose proof (max_match_on s d pn1 pn2 k X Xs Ys tr cx cy t Ht E1) as Hm.
  unfold smax_on in E1.
  destruct (sacts s pn1 k X) as [SA |] eqn:EA; [| discriminate]. destruct (sacts s pn2 k X) as [SB |] eqn:EB; [| discriminate].
  pose proof (sacts_sound _ _ _ _ _ t Ht EA) as HA. pose proof (sacts_sound _ _ _ _ _ t Ht EB) as HB.
  destruct (sreplay s d SA SB _ _ tr) as [[X1 Y1] |] eqn:Hr; [| discriminate].
  apply andb_true_iff in E1 as [E1 _]. apply andb_true_iff in E1 as [Hx Hy]. apply list_eqb_eq in Hx, Hy. subst X1 Y1.
  destruct (sreplay_nodup s d SA SB tr _ _ Xs Ys (seq_NoDup _ 0) (seq_NoDup _ 0) Hr) as [Nx Ny].
  exists Xs, Ys. split. exact (is_max_iff _ _ _ _ _ _ (span_within0 d) Hm). split. exact Nx. split. exact Ny.
  apply Qeq_bool_iff in E2.
  assert (LA : @length vec (acts (inst pn1 t) k X) = length SA) by exact (F2_length _ _ _ HA).
  assert (LB : @length vec (acts (inst pn2 t) k X) = length SB) by exact (F2_length _ _ _ HB).
  rewrite LA, LB. exact E2. Qed.
