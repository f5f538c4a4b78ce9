#!/usr/bin/env python3
"""Generate the bundled sample data of Brightfield Coffee Co. (a made-up company).

Brightfield roasts coffee and sells it online to consumers, offices and cafes. It
runs an Instagram/X/Facebook presence and a customer community, answers service
tickets by phone, email and social media, and pays for referrals. The data covers
18 months, 2023-01-01 .. 2024-06-30. See README.md in this directory.

The customer behaviour follows the models libscrm fits, so the sample data gives
plausible fits:
  - purchases: BG/NBD (Fader, Hardie & Lee 2005): each customer buys at a Poisson
    rate lambda ~ Gamma(r, alpha) while alive and drops out after any purchase with
    probability p ~ Beta(a, b);
  - spend: Gamma-Gamma (Fader, Hardie & Lee 2005; Fader & Hardie 2013): order values
    z ~ Gamma(shape p, rate nu) with nu ~ Gamma(shape q, rate gamma) per customer.

Usage: python3 examples/data/generate.py --seed 42 --out examples/data
Python 3 standard library only; the same seed gives the same files.
"""
import argparse
import csv
import datetime as dt
import math
import os
import random

START = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2024, 7, 1, tzinfo=dt.timezone.utc)  # exclusive
DAYS = (END - START).days  # 547
WEEK = 7 * 86400

N_CUSTOMERS = 1500
SEGMENTS = [("consumer", 0.70), ("office", 0.20), ("cafe", 0.10)]
# Acquisition channel: share and cost per acquired customer (USD).
CHANNELS = [("search", 0.30, 28.0), ("social", 0.25, 19.0), ("referral", 0.15, 0.0),
            ("email", 0.10, 6.0), ("organic", 0.20, 0.0)]
# BG/NBD population parameters (weeks) and Gamma-Gamma spend per segment.
BGNBD = {"r": 0.85, "alpha": 5.5, "a": 0.75, "b": 3.2}
SPEND = {"consumer": (6.0, 4.0, 15.0), "office": (6.0, 4.0, 40.0), "cafe": (6.0, 4.0, 90.0)}
MARGIN_RATE = {"consumer": 0.38, "office": 0.33, "cafe": 0.24}

SOCIAL_CHANNELS = ["instagram", "x", "facebook"]
BRAND = "@brightfield"
COMPETITORS = [("beanbarn", 0.50), ("roastriot", 0.30)]  # weight vs own brand 1.0
REFERRAL_INCENTIVE = 15.0  # paid for a converted referral (referrer credit + referee discount)


def iso_date(t):
    return t.strftime("%Y-%m-%d")


def iso_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def pick(rng, weighted):
    """Pick the first element of a (name, weight, ...) tuple by weight."""
    x = rng.random() * sum(w[1] for w in weighted)
    for item in weighted:
        x -= item[1]
        if x < 0:
            return item
    return weighted[-1]


def poisson(rng, mean):
    """Knuth's method; the means here are small."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def daytime(rng, day, lo=7, hi=22):
    """A time on `day` between lo and hi o'clock (UTC)."""
    secs = rng.randrange(lo * 3600, hi * 3600)
    return START + dt.timedelta(days=day, seconds=secs)


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def fmt(x, nd=2):
    return "" if x is None else f"{x:.{nd}f}"


def customers_and_transactions(rng):
    customers, transactions = [], []
    for i in range(N_CUSTOMERS):
        cid = f"C{i + 1:05d}"
        # Acquisition spread over the first 15 months, growing slowly.
        day = int(DAYS * 0.82 * math.sqrt(rng.random()))
        acquired = daytime(rng, day)
        seg = pick(rng, SEGMENTS)[0]
        ch, _, cost = pick(rng, CHANNELS)
        acq_cost = max(0.0, rng.gauss(cost, cost * 0.25)) if cost > 0 else 0.0
        customers.append({"id": cid, "acquired": acquired, "segment": seg, "channel": ch,
                          "cost": acq_cost})
        # BG/NBD: first purchase at acquisition, then Poisson(lambda) while alive.
        lam = rng.gammavariate(BGNBD["r"], 1.0 / BGNBD["alpha"])  # purchases per week
        p_drop = rng.betavariate(BGNBD["a"], BGNBD["b"])
        p_shape, q_shape, gamma = SPEND[seg]
        nu = rng.gammavariate(q_shape, 1.0 / gamma)
        t = acquired
        while t < END:
            amount = rng.gammavariate(p_shape, 1.0 / nu)
            margin = amount * MARGIN_RATE[seg] * rng.uniform(0.85, 1.15)
            if rng.random() < 0.01:  # an occasional refund
                amount, margin = -amount, -margin
            transactions.append((cid, t, amount, margin))
            if rng.random() < p_drop or lam <= 0:
                break
            t = t + dt.timedelta(seconds=rng.expovariate(lam) * WEEK)
        customers[-1]["lam"] = lam
    transactions.sort(key=lambda r: (r[1], r[0]))
    return customers, transactions


def survey(rng, customers):
    rows = []
    for c in customers:
        if rng.random() > 0.62:
            continue
        # Happier, more active customers score higher.
        base = 8.0 + 1.5 * math.tanh(c["lam"] * 4 - 0.6) + rng.gauss(0, 1.5)
        score = min(10, max(0, int(round(base))))
        latest = (END - c["acquired"]).days
        when = c["acquired"] + dt.timedelta(days=rng.randrange(7, max(8, latest)))
        if when >= END:
            continue
        p_intend = 0.72 if score >= 9 else 0.28 if score >= 7 else 0.06
        intends = rng.random() < p_intend
        referred = rng.random() < (0.34 if intends else 0.04)
        anonymous = rng.random() < 0.05
        rows.append(("" if anonymous else c["id"], iso_date(when), score,
                     "yes" if intends else "no", "yes" if referred else "no"))
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


def referrals(rng, customers):
    rows = []
    by_time = sorted(customers, key=lambda c: c["acquired"])
    n_prospect = 0
    for idx, c in enumerate(by_time):
        if c["channel"] != "referral" or idx < 20:
            continue
        referrer = by_time[rng.randrange(0, idx)]["id"]
        when = c["acquired"] - dt.timedelta(days=rng.randrange(0, 20))
        when = max(when, START)
        rows.append((referrer, c["id"], iso_date(when), "true", fmt(REFERRAL_INCENTIVE)))
    # Referrals that did not convert: prospects never became customers.
    for _ in range(int(len(rows) * 1.6)):
        referrer = by_time[rng.randrange(0, len(by_time))]
        day = rng.randrange((referrer["acquired"] - START).days, DAYS)
        n_prospect += 1
        referee = f"R{n_prospect:05d}" if rng.random() < 0.8 else ""
        rows.append((referrer["id"], referee, iso_date(START + dt.timedelta(days=day)), "false",
                     fmt(0.0)))
    rows.sort(key=lambda r: (r[2], r[0], r[1]))
    return rows


def social_and_audience(rng):
    users = [f"@user{k:04d}" for k in range(1, 2401)]
    # Follower counts of users (heavy-tailed): a few influencers.
    user_followers = {u: int(rng.paretovariate(1.3) * 60) for u in users}
    rows = []
    post_no = 0
    followers = {"instagram": 4200.0, "x": 2600.0, "facebook": 3100.0}
    growth = {"instagram": 0.0021, "x": 0.0009, "facebook": 0.0006}
    audience = []
    sentiment_labels = ["positive", "neutral", "negative"]
    for day in range(DAYS):
        date = START + dt.timedelta(days=day)
        for ch in SOCIAL_CHANNELS:
            followers[ch] *= 1 + growth[ch] + rng.gauss(0, 0.0015)
            audience.append((iso_date(date), ch, int(followers[ch])))
            # Brand posts: about 3 a week per channel.
            if rng.random() < 3 / 7:
                post_no += 1
                pid = f"P{post_no:05d}"
                t = daytime(rng, day, 8, 19)
                reach = int(followers[ch] * rng.uniform(0.15, 0.45))
                impressions = int(reach * rng.uniform(1.1, 1.8))
                rows.append((iso_time(t), ch, BRAND, "post", pid, "", "", reach, impressions, ""))
                quality = rng.gammavariate(2.0, 0.5)  # some posts do much better
                engaged = []
                for kind, mean in (("like", 9.0), ("comment", 1.6), ("share", 0.9)):
                    for _ in range(poisson(rng, mean * quality)):
                        u = users[int(len(users) * rng.random() ** 2)]  # fans engage more
                        when = t + dt.timedelta(minutes=rng.expovariate(1 / 180.0))
                        if when >= END:
                            continue
                        if kind == "comment":
                            s = rng.choices(sentiment_labels, (0.55, 0.33, 0.12))[0]
                            rows.append((iso_time(when), ch, u, "comment", pid, BRAND, "", "", "", s))
                            engaged.append((u, when))
                        elif kind == "share":
                            r = user_followers[u]
                            rows.append((iso_time(when), ch, u, "share", pid, BRAND, "", r, "", ""))
                        else:
                            rows.append((iso_time(when), ch, u, "like", pid, BRAND, "", "", "", ""))
                # Replies between users: the edges influence models use.
                for u, when in engaged:
                    if rng.random() < 0.3:
                        v = users[rng.randrange(len(users))]
                        w = when + dt.timedelta(minutes=rng.expovariate(1 / 60.0))
                        if w < END:
                            s = f"{rng.uniform(-0.6, 0.9):.2f}"
                            rows.append((iso_time(w), ch, v, "comment", pid, u, "", "", "", s))
        # Unprompted mentions of the brand and of competitors (share of voice).
        for brand, weight in [("", 1.0)] + COMPETITORS:
            for _ in range(poisson(rng, 2.2 * weight)):
                u = users[rng.randrange(len(users))]
                ch = rng.choice(SOCIAL_CHANNELS)
                t = daytime(rng, day, 6, 23)
                mood = 0.25 if brand == "" else 0.1
                s = max(-1.0, min(1.0, rng.gauss(mood, 0.45)))
                r = user_followers[u]
                rows.append((iso_time(t), ch, u, "mention", "", "", brand, r,
                             int(r * rng.uniform(1.0, 1.6)), f"{s:.2f}"))
    rows.sort(key=lambda r: (r[0], r[2], r[3]))
    return rows, audience


def tickets(rng):
    agents = {"tier1": ["ana", "ben", "chloe", "dev", "ema"],
              "tier2": ["farid", "gina", "hugo"],
              "social-care": ["ines", "jon", "kai"]}
    rows = []
    n = 0
    for day in range(DAYS):
        date = START + dt.timedelta(days=day)
        weekday = date.weekday()
        volume = (5.5 if weekday < 5 else 2.5) * (1 + day / DAYS * 0.5)
        for _ in range(poisson(rng, volume)):
            n += 1
            ch = pick(rng, [("phone", 0.40), ("email", 0.38), ("social", 0.22)])[0]
            team = "social-care" if ch == "social" else ("tier2" if rng.random() < 0.2 else "tier1")
            agent = rng.choice(agents[team])
            created = daytime(rng, day, 7, 21)
            first = resolved = None
            if ch == "phone":
                first = created + dt.timedelta(seconds=rng.expovariate(1 / 90.0))
                handle = rng.gammavariate(4.0, 120.0)
            elif ch == "email":
                first = created + dt.timedelta(seconds=rng.expovariate(1 / (5 * 3600.0)))
                handle = rng.gammavariate(3.0, 110.0)
            else:
                first = created + dt.timedelta(seconds=rng.expovariate(1 / (45 * 60.0)))
                handle = rng.gammavariate(2.5, 80.0)
            if ch != "phone" and rng.random() < 0.04:
                first = None  # never answered
            if first is not None:
                resolved = first + dt.timedelta(seconds=handle + rng.expovariate(1 / (8 * 3600.0)))
                if rng.random() < 0.05:
                    resolved = None  # still open
            if first is not None and first >= END:
                first = None
            if resolved is not None and resolved >= END:
                resolved = None
            rows.append((f"T{n:06d}", ch, agent, team, iso_time(created),
                         iso_time(first) if first else "", iso_time(resolved) if resolved else "",
                         "" if first is None else f"{handle:.0f}"))
    return rows


def costs(rng):
    # Monthly program costs (USD) by category, sized for a company of this scale
    # (about 5,000 USD of margin a month): part-time staff, a small ad budget.
    base = [("social_media_staff", 250.0), ("community_management", 100.0),
            ("social_ads", 150.0), ("content_production", 80.0),
            ("service_staff", 90.0), ("tools", 30.0)]
    rows = []
    for m in range(18):
        month = dt.date(2023 + (m // 12), m % 12 + 1, 1)
        for cat, amount in base:
            drift = 1 + 0.01 * m if cat != "tools" else 1.0
            rows.append((month.isoformat(), cat, f"{amount * drift * rng.uniform(0.93, 1.07):.2f}"))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    out = lambda name: os.path.join(args.out, name)

    cust, tx = customers_and_transactions(rng)
    write(out("customers.csv"), ["id", "acquired", "segment", "acquisition_cost", "channel"],
          [(c["id"], iso_date(c["acquired"]), c["segment"], fmt(c["cost"]), c["channel"])
           for c in cust])
    write(out("transactions.csv"), ["customer", "time", "amount", "margin"],
          [(c, iso_time(t), fmt(a), fmt(m)) for c, t, a, m in tx])
    write(out("survey.csv"), ["customer", "time", "score", "intends_to_refer", "referred"],
          survey(rng, cust))
    write(out("referrals.csv"), ["referrer", "referee", "time", "converted", "incentive_cost"],
          referrals(rng, cust))
    soc, aud = social_and_audience(rng)
    write(out("social.csv"), ["time", "channel", "user", "kind", "post_id", "target_user", "brand",
                              "reach", "impressions", "sentiment"], soc)
    write(out("audience.csv"), ["time", "channel", "followers"], aud)
    write(out("tickets.csv"), ["id", "channel", "agent", "team", "created", "first_response",
                               "resolved", "handle_time"], tickets(rng))
    write(out("costs.csv"), ["time", "category", "amount"], costs(rng))


if __name__ == "__main__":
    main()
