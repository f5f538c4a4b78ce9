"""KPI sections of scrm-report in Python (report_kpi.c): engagement, Net Promoter
Score, social customer service (metrics, savings, staffing). Each also leaves the
figures the ROI business case reuses on the report."""
import scrm
from scrm.engagement import EngagementValid
from report_out import NO_VALUE

KIND_KEYS = ["posts", "comments", "shares", "likes", "mentions", "other"]

# Illustrative value of one action (currency units); the report says so.
ACTION_VALUE = {"post": 0.0, "comment": 0.50, "share": 1.00, "like": 0.10, "mention": 0.50,
                "other": 0.0}


def months_between(a, b):
    return (b - a) / (30.436875 * scrm.SECONDS_PER_DAY)


def or_nan(value):
    return NO_VALUE if value is None else value


def section_engagement(r):
    r.out_section("engagement", "Engagement")
    try:
        e = scrm.Engagement(values=ACTION_VALUE)
        every = e.compute(r.ds)
    except scrm.ScrmError as exc:
        r.out_error("engagement", exc)
        r.out_end()
        return
    with e:
        r.out_time("from", "from", every.start)
        r.out_time("to", "to", every.end)
        for key, count in zip(KIND_KEYS, every.counts.values()):
            r.out_int(key, key, count)
        r.out_int("engagements", "engagements (comments, shares, likes)", every.engagements)
        r.out_num("unique_users", "unique engaged users", every.unique_users, 0)
        r.out_num("talking_7d", "people talking about this (last 7 days)",
                  every.talking_window, 0)
        r.out_num("er_reach", "engagement rate by reach (%)", or_nan(every.er_reach), 2)
        r.out_num("er_impressions", "engagement rate by impressions (%)",
                  or_nan(every.er_impressions), 2)
        r.out_num("er_followers", "engagement rate by followers (%)",
                  or_nan(every.er_followers), 2)
        r.out_num("conversation_rate", "conversation rate (comments/post)",
                  or_nan(every.conversation_rate), 2)
        r.out_num("amplification_rate", "amplification rate (shares/post)",
                  or_nan(every.amplification_rate), 2)
        r.out_num("applause_rate", "applause rate (likes/post)", or_nan(every.applause_rate), 2)
        r.out_num("net_sentiment", "net sentiment (-100..100)", or_nan(every.net_sentiment), 1)
        r.out_num("share_of_voice", "share of voice (%)", or_nan(every.share_of_voice), 1)
        r.out_num("economic_value", "economic value", or_nan(every.economic_value), 2)
        r.out_note("values per action are illustrative: comment 0.50, share 1.00, like 0.10, "
                   "mention 0.50")
        periods = e.periods()
        if periods:
            r.out_array("months", "last months:")
            for p in periods[-6:]:
                r.out_item()
                r.out_time("month", "month", p.start)
                r.out_int("engagements", "engagements", p.engagements)
                r.out_num("unique_users", "users", p.unique_users, 0)
                growth = (p.growth_engagements
                          if p.valid & EngagementValid.GROWTH_ENGAGEMENTS else None)
                r.out_num("growth", "growth %", or_nan(growth), 1)
            r.out_end()
        months = months_between(every.start, every.end)
        if months > 0:
            r.engagement_actions_per_month = every.engagements / months
            r.value_per_action = (or_nan(every.economic_value) / every.engagements
                                  if every.engagements else 0.0)
    r.out_end()


def nps_fields(r, n):
    r.out_int("n", "responses", n.n)
    r.out_num("nps", "NPS", n.nps, 1)
    r.out_num("ci_low", "CI low", n.ci_low, 1)
    r.out_num("ci_high", "CI high", n.ci_high, 1)


def section_nps(r):
    r.out_section("nps", "Net Promoter Score")
    try:
        nps = scrm.Nps()
        every = nps.compute(r.ds)
    except scrm.ScrmError as exc:
        r.out_error("nps", exc)
        r.out_end()
        return
    with nps:
        r.out_int("n", "responses", every.n)
        r.out_num("promoters", "promoters (9-10) %", 100 * every.promoter_share, 1)
        r.out_num("passives", "passives (7-8) %", 100 * every.passive_share, 1)
        r.out_num("detractors", "detractors (0-6) %", 100 * every.detractor_share, 1)
        r.out_num("nps", "NPS", every.nps, 1)
        r.out_num("se", "standard error", every.se, 2)
        r.out_num("ci_low", "95% interval low (adjusted Wald)", every.ci_low, 1)
        r.out_num("ci_high", "95% interval high", every.ci_high, 1)

        r.out_array("segments", "by segment:")
        for g in nps.by_segment(r.ds):
            r.out_item()
            r.out_str("segment", "segment", g.segment if g.segment_id else "(unknown)")
            nps_fields(r, g.result)
        r.out_end()
        quarters = nps.by_period(r.ds, "quarter")
        if quarters:
            r.out_array("quarters", "by quarter:")
            for g in quarters:
                r.out_item()
                r.out_time("quarter", "quarter", g.period_start)
                nps_fields(r, g.result)
            r.out_end()
            if len(quarters) >= 2:
                cmp = scrm.nps_compare(quarters[-2].result, quarters[-1].result, 0.95)
                r.out_object("last_quarter_change", "last quarter against the one before:")
                r.out_num("difference", "change in NPS", cmp.difference, 1)
                r.out_num("z", "z", cmp.z, 2)
                r.out_num("p_value", "p-value (two-sided)", cmp.p_value, 3)
                r.out_end()

    try:
        ref = scrm.Referral.from_dataset(r.ds)
    except scrm.ScrmError:
        ref = None
    if ref is not None:
        def pct(value):
            return NO_VALUE if value is None else 100 * value
        r.out_object("referral", "intent versus actual referral:")
        r.out_int("n", "responses with both answers", ref.n)
        r.out_num("intend", "intend to refer %", pct(ref.intend_share), 1)
        r.out_num("referred", "actually referred %", pct(ref.referred_share), 1)
        r.out_num("referred_given_intend", "P(referred | intends) %",
                  pct(ref.referred_given_intend), 1)
        r.out_num("phi", "phi correlation", or_nan(ref.phi), 3)
        r.out_int("referrals", "referrals recorded", ref.referrals)
        r.out_num("converted", "referrals converted %", pct(ref.conversion_share), 1)
        r.out_end()
    r.out_end()


def durations(r, key, label, d):
    r.out_object(key, label)
    r.out_num("median_h", "median (hours)", d.median / 3600, 2)
    r.out_num("p90_h", "p90 (hours)", d.p90 / 3600, 2)
    r.out_num("mean_h", "mean (hours)", d.mean / 3600, 2)
    r.out_end()


def section_service(r):
    r.out_section("service", "Social customer service")
    try:
        s = scrm.Service(group_by="channel")
        res = s.compute(r.ds)
    except scrm.ScrmError as exc:
        r.out_error("service", exc)
        r.out_end()
        return
    with s:
        o = res.overall
        r.out_int("tickets", "tickets", o.volume)
        r.out_num("response_rate", "response rate %", 100 * o.response_rate, 1)
        r.out_int("unanswered", "unanswered", o.unanswered)
        r.out_int("backlog", "open backlog (unresolved)", o.backlog)
        durations(r, "time_to_answer", "time to answer:", o.answer)
        durations(r, "time_to_resolution", "time to resolution:", o.resolution)
        r.out_num("answer_sla", "answered within 1 hour %", 100 * o.response_sla[0], 1)
        r.out_num("resolution_sla", "resolved within 24 hours %", 100 * o.resolution_sla[0], 1)
        r.out_array("channels", "by channel:")
        for g in s.groups(r.ds):
            r.out_item()
            r.out_str("channel", "channel", g.label if g.key else "(none)")
            r.out_int("tickets", "tickets", g.volume)
            r.out_num("response_rate", "answered %", 100 * g.response_rate, 1)
            r.out_num("median_answer_h", "median answer h", g.answer.median / 3600, 2)
        r.out_end()

    sv = None
    try:
        sv = scrm.savings_compute(r.ds)
    except scrm.ScrmError as exc:
        r.out_error("savings", exc)
    if sv is not None:
        r.out_object("savings", "cost savings (default cost per contact, see scrm.h):")
        r.out_num("social_contacts", "contacts handled on social", sv.inputs.social_contacts, 0)
        r.out_num("deflected", "contacts deflected from phone/email", sv.deflected, 0)
        r.out_num("avoided_cost", "avoided cost", sv.avoided_cost, 2)
        r.out_num("agent_cost", "social agent cost", sv.agent_cost, 2)
        r.out_num("gross_savings", "gross savings", sv.gross_savings, 2)
        r.out_num("program_cost", "program cost", sv.program_cost, 2)
        r.out_num("net_savings", "net savings", sv.net_savings, 2)
        r.out_end()

    # Staffing for the busiest day's social volume spread over an 8-hour shift.
    created = r.ds.column("tickets", "created", copy=True).tolist()
    if created:
        lo, hi = min(created), max(created)
        months = months_between(lo, hi)
        if sv is not None and months > 0:
            r.social_contacts_per_month = sv.deflected / months
            r.saving_per_contact = sv.gross_savings / sv.deflected if sv.deflected > 0 else 0.0
        days = (hi - lo) / scrm.SECONDS_PER_DAY + 1
        per_hour = 3.0 * len(created) / days / 8.0  # peak day ~3x the mean
        aht = o.handle_time_mean if o.handle_time_mean > 0 else 600.0
        try:
            st = scrm.erlang_staffing(per_hour / 3600.0, aht, 60.0, 0.80)
        except scrm.ScrmError:
            st = None
        if st is not None:
            r.out_object("staffing",
                         "staffing (Erlang C, peak = 3x mean daily volume over 8 h):")
            r.out_num("arrivals_per_hour", "arrivals per hour", per_hour, 1)
            r.out_num("aht_s", "average handle time (s)", aht, 0)
            r.out_int("agents", "agents for 80% answered in 60 s", st.agents)
            r.out_num("wait_probability", "probability of waiting %",
                      100 * st.at.wait_probability, 1)
            r.out_num("asa_s", "average speed of answer (s)", st.at.asa, 1)
            r.out_num("occupancy", "occupancy %", 100 * st.at.occupancy, 1)
            r.out_end()
    r.out_end()
