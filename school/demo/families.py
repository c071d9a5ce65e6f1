"""Students and their families: names by heritage, UPNs, SEN, FSM, pupil premium, EAL, looked-after
children, the guardians with their contact details, and each student's form."""

import datetime as dt
from collections import defaultdict

from school.demo import names as N
from school.demo.builder import Builder, ascii_letters, new_uuid
from school.demo.data import FormRow, GuardianRow, LinkRow, StudentRow
from school.demo.upn import make_upn


def generate_families(b: Builder, forms: list[FormRow]):
    p, rng = b.p, b.rng
    students: list[StudentRow] = []
    guardians: list[GuardianRow] = []
    links: list[LinkRow] = []
    remaining = {year: p.students_per_year for year in p.years}
    eth_codes = [e for e, _, _ in N.ETHNICITIES]
    eth_weights = [w for _, w, _ in N.ETHNICITIES]
    eal_chance = {e: c for e, _, c in N.ETHNICITIES}
    guardian_emails: set[str] = set()

    def address():
        street = b.pick(N.STREETS)
        number = rng.randint(1, 180)
        locality = b.pick(N.LOCALITIES)
        postcode = (
            f"{b.pick(N.POSTCODE_DISTRICTS)} {rng.randint(1, 9)}"
            f"{b.pick(N.POSTCODE_UNIT_LETTERS)}{b.pick(N.POSTCODE_UNIT_LETTERS)}"
        )
        return f"{number} {street}, {locality}, Birmingham", postcode

    def guardian(title, first, last, addr, postcode, email_domain=None, channel=None):
        local = f"{ascii_letters(first)}.{ascii_letters(last)}"
        domain = email_domain or b.pick(N.EMAIL_DOMAINS)
        email = f"{local}@{domain}"
        while email in guardian_emails:
            email = f"{local}{rng.randint(1, 99)}@{domain}"
        guardian_emails.add(email)
        if channel is None:
            roll = rng.random()
            channel = (
                "email"
                if roll < 0.6
                else "sms"
                if roll < 0.9
                else "phone"
                if roll < 0.96
                else "letter"
            )
        guardians.append(
            GuardianRow(
                source_id=new_uuid(rng),
                title=title,
                first_name=first,
                last_name=last,
                email=email,
                # Ofcom's ranges reserved for drama: never a real phone.
                mobile=f"07700 900{rng.randint(0, 999):03d}",
                home_phone=f"0121 496 0{rng.randint(0, 999):03d}" if rng.random() < 0.3 else "",
                address=addr,
                postcode=postcode,
                preferred_channel=channel,
            )
        )
        return len(guardians) - 1

    def upn(year: int) -> str:
        reception = b.start_year - (year - 7) - 7  # the September they started school
        if rng.random() < 0.82:
            la, estab = (
                330,
                rng.choice(
                    [2011, 2034, 2047, 2102, 2119, 2233, 2240, 3021, 3315, 3402, 2256, 2281]
                ),
            )
        else:
            la, estab = (
                rng.choice([331, 332, 333, 334, 335, 336, 885, 860, 931]),
                rng.randint(2000, 3999),
            )
            reception += rng.choice([0, 0, 1, 2, 3])
        while True:
            key = (la, estab, reception)
            b.upn_serials[key] += rng.randint(1, 4)
            value = make_upn(la, estab, reception, b.upn_serials[key] % 1000)
            if value not in b.upns:
                b.upns.add(value)
                return value

    def child(year, heritage_pair, surname, ethnicity, family):
        roll = rng.random()
        gender = "X" if roll < 0.004 else "M" if roll < 0.502 else "F"
        pool_heritage = heritage_pair[rng.randrange(2)]
        boys, girls, _ = N.HERITAGE[pool_heritage]
        pool = boys if gender == "M" or (gender == "X" and rng.random() < 0.5) else girls
        first = b.pick(N.split(pool))
        preferred = N.PREFERRED.get(first, "") if rng.random() < 0.45 else ""
        last = N.feminine_surname(surname, heritage_pair[0]) if gender == "F" else surname
        # Born September (start - year - 5) to August the year after.
        born_from = dt.date(b.start_year - year - 5, 9, 1)
        dob = born_from + dt.timedelta(days=rng.randrange(365))
        boy = gender == "M"
        sen_roll = rng.random()
        sen = (
            "E"
            if sen_roll < (0.034 if boy else 0.016)
            else "K"
            if sen_roll < (0.034 + 0.16 if boy else 0.016 + 0.10)
            else "N"
        )
        joined = dt.date(b.start_year - (year - 7), 9, 3)
        if rng.random() < 0.06:  # an in-year admission
            joined += dt.timedelta(days=rng.randrange(30, 600))
            joined = min(joined, b.calendar.half_terms[0][2])
        fsm = family["fsm"]
        pp = (rng.random() < 0.97) if fsm else (rng.random() < 0.05)
        students.append(
            StudentRow(
                source_id=new_uuid(rng),
                upn=upn(year),
                legal_first_name=first,
                legal_last_name=last,
                preferred_first_name=preferred,
                preferred_last_name=family.get("known_as", ""),
                date_of_birth=dob,
                gender=gender,
                year=year,
                form="",
                sen_status=sen,
                fsm=fsm,
                pupil_premium=pp or family["cla"],
                eal=family["eal"],
                ethnicity=ethnicity,
                looked_after=family["cla"],
                admitted_on=joined,
                ability=rng.gauss(0, 1),
            )
        )
        return len(students) - 1

    while sum(remaining.values()) > 0:
        open_years = [y for y, n in remaining.items() if n > 0]
        roll = rng.random()
        size = 1 if roll < 0.78 else 2 if roll < 0.96 else 3
        size = min(size, len(open_years))
        years = rng.sample(open_years, size)
        ethnicity = rng.choices(eth_codes, eth_weights)[0]
        heritage_pair = b.pick(N.ETHNICITY_HERITAGE[ethnicity])
        cla = size == 1 and rng.random() < 0.005
        family = {
            "fsm": rng.random() < 0.25,
            "eal": rng.random() < eal_chance[ethnicity],
            "cla": cla,
        }
        dad_heritage, mum_heritage = heritage_pair
        surname = b.pick(N.split(N.HERITAGE[dad_heritage][2]))
        addr, postcode = address()
        children = []
        for year in years:
            remaining[year] -= 1
        if cla:
            family["fsm"] = False
            children = [child(years[0], heritage_pair, surname, ethnicity, family)]
            t, f, last, _ = b.random_adult()
            carer = guardian(t, f, last, *address())
            worker_title, worker_first, worker_last, _ = b.random_adult()
            worker = guardian(
                worker_title,
                worker_first,
                worker_last,
                "Children's Services, Council House, Birmingham",
                "B1 1BB",
                email_domain="childrenstrust.example",
                channel="email",
            )
            links.append(LinkRow(children[0], carer, "foster_carer", False, 1))
            links.append(LinkRow(children[0], worker, "social_worker", True, 2))
            continue
        children = [child(y, heritage_pair, surname, ethnicity, family) for y in years]
        dad_men, _ = N.PARENT_NAMES[dad_heritage]
        _, mum_women = N.PARENT_NAMES[mum_heritage]
        mum_last = N.feminine_surname(surname, dad_heritage)
        if rng.random() < 0.12:  # mother kept or went back to her own surname
            mum_last = N.feminine_surname(
                b.pick(N.split(N.HERITAGE[mum_heritage][2])), mum_heritage
            )
        mum = (b.pick(["Mrs", "Ms", "Miss"]), b.pick(N.split(mum_women)), mum_last)
        dad = ("Mr", b.pick(N.split(dad_men)), surname)
        shape = rng.random()
        if shape < 0.58:  # two parents at home
            first_contact = rng.random() < 0.7
            g1 = guardian(*mum, addr, postcode)
            g2 = guardian(*dad, addr, postcode)
            for c in children:
                links.append(LinkRow(c, g1, "mother", True, 1 if first_contact else 2))
                links.append(LinkRow(c, g2, "father", True, 2 if first_contact else 1))
        elif shape < 0.80:  # mother, with the father living elsewhere (or not a contact)
            g1 = guardian(*mum, addr, postcode)
            for c in children:
                links.append(LinkRow(c, g1, "mother", True, 1))
            if rng.random() < 0.5:
                g2 = guardian(*dad, *address())
                for c in children:
                    links.append(LinkRow(c, g2, "father", True, 2))
        elif shape < 0.88:  # mother and step-father
            g1 = guardian(*mum, addr, postcode)
            t, f, last, _ = b.random_adult("british")
            g2 = guardian("Mr", b.pick(N.split(N.PARENT_NAMES["british"][0])), last, addr, postcode)
            for c in children:
                links.append(LinkRow(c, g1, "mother", True, 1))
                links.append(LinkRow(c, g2, "step_parent", False, 2))
        elif shape < 0.95:  # father on his own
            g1 = guardian(*dad, addr, postcode)
            for c in children:
                links.append(LinkRow(c, g1, "father", True, 1))
            if rng.random() < 0.4:
                g2 = guardian(*mum, *address())
                for c in children:
                    links.append(LinkRow(c, g2, "mother", True, 2))
        else:  # grandparents bring them up (a special guardianship order)
            t, f, _, gender = b.random_adult(mum_heritage)
            g1 = guardian(
                t,
                f,
                surname if gender == "M" else mum_last,
                addr,
                postcode,
                channel=b.pick(["phone", "letter", "sms"]),
            )
            for c in children:
                links.append(LinkRow(c, g1, "grandparent", True, 1))
            g2 = guardian(*mum, *address())
            for c in children:
                links.append(LinkRow(c, g2, "mother", rng.random() < 0.7, 2))

    # Looked-after children: make sure a school of a few hundred has some (about 0.5%).
    want_cla = round(len(students) * 0.005)
    have = sum(s.looked_after for s in students)
    if have < want_cla:
        for s in rng.sample(students, want_cla - have):
            s.looked_after = True
            s.pupil_premium = True

    # Forms: within each year, deal students round the forms by gender so forms are balanced.
    by_year = defaultdict(list)
    for i, s in enumerate(students):
        by_year[s.year].append(i)
    for year, idxs in by_year.items():
        year_forms = [f.code for f in forms if f.year == year]
        rng.shuffle(idxs)
        idxs.sort(key=lambda i: students[i].gender)
        offset = rng.randrange(len(year_forms))
        for n, i in enumerate(idxs):
            students[i].form = year_forms[(n + offset) % len(year_forms)]
    return students, guardians, links
