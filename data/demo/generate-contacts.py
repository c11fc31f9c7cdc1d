#!/usr/bin/python3
# generate-contacts.py — writes data/demo/contacts.csv: about 200 fictional
# B2B buyers (valves, LED lighting, textiles, pumps…) in 15 markets, with
# about 15 addresses that are wrong on purpose, so the demo profile shows
# what list hygiene catches.
#
# Copyright 2026 The Outbound authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every person, company and domain here is made up. The domains are
# syntactically real (real TLDs) but are not the reserved example names,
# which Outbound rejects. Deterministic: the same output on every run.
#
#   /usr/bin/python3 data/demo/generate-contacts.py > data/demo/contacts.csv

import csv
import random
import sys
import unicodedata

MARKETS = {
    # code: (country name, TLD, first names, last names, phone prefix, company words, suffixes)
    "US": ("United States", "com", ["James", "Linda", "Robert", "Jennifer", "Michael", "Patricia", "David", "Susan"],
           ["Carter", "Reynolds", "Brooks", "Hughes", "Foster", "Bennett", "Coleman", "Parker"], "+1 312 555",
           ["Lakeshore", "Prairie", "Summit", "Redwood", "Harbor Point", "Bluegrass"], ["Supply Inc", "Industrial LLC", "Distributors"]),
    "DE": ("Germany", "de", ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Sophie", "Maximilian", "Julia"],
           ["Becker", "Hoffmann", "Schäfer", "Koch", "Richter", "Wolf", "Neumann", "Schwarz"], "+49 711 555",
           ["Rheintal", "Nordstern", "Alpenblick", "Elbufer", "Schwarzwald", "Hansa"], ["GmbH", "Handels GmbH", "AG"]),
    "GB": ("United Kingdom", "co.uk", ["Oliver", "Amelia", "Harry", "Isla", "George", "Emily", "Jack", "Grace"],
           ["Whitfield", "Ashworth", "Pemberton", "Hargreaves", "Fairclough", "Thornton", "Kendall", "Lowry"], "+44 161 555",
           ["Pennine", "Mersey", "Cotswold", "Thames Valley", "Northgate", "Brackley"], ["Ltd", "Trading Ltd", "Supplies Ltd"]),
    "FR": ("France", "fr", ["Louis", "Camille", "Hugo", "Chloé", "Jules", "Léa", "Arthur", "Manon"],
           ["Lefèvre", "Moreau", "Girard", "Fontaine", "Chevalier", "Rousseau", "Blanchard", "Garnier"], "+33 4 72 55",
           ["Rhône", "Atlantique", "Provence", "Val de Loire", "Mont Blanc", "Bretagne"], ["SARL", "SAS", "Distribution"]),
    "ES": ("Spain", "es", ["Javier", "Lucía", "Pablo", "Carmen", "Diego", "Elena", "Álvaro", "Marta"],
           ["Navarro", "Romero", "Serrano", "Molina", "Ortega", "Delgado", "Castro", "Rubio"], "+34 93 555",
           ["Levante", "Ibérica", "Mediterráneo", "Castilla", "Cantábrico", "Sierra"], ["S.L.", "Suministros S.L.", "S.A."]),
    "IT": ("Italy", "it", ["Marco", "Giulia", "Luca", "Francesca", "Matteo", "Chiara", "Andrea", "Sara"],
           ["Bianchi", "Ferrari", "Colombo", "Ricci", "Marino", "Greco", "Conti", "Galli"], "+39 02 555",
           ["Lombarda", "Adriatica", "Toscana", "Padana", "Dolomiti", "Tirrena"], ["S.r.l.", "Forniture S.r.l.", "S.p.A."]),
    "BR": ("Brazil", "com.br", ["João", "Ana", "Pedro", "Mariana", "Lucas", "Beatriz", "Gabriel", "Fernanda"],
           ["Silva", "Oliveira", "Souza", "Pereira", "Almeida", "Carvalho", "Ribeiro", "Barbosa"], "+55 11 5555",
           ["Paulista", "Atlântico", "Cerrado", "Guanabara", "Serra Azul", "Amazônia"], ["Ltda", "Comércio Ltda", "Importadora"]),
    "MX": ("Mexico", "com.mx", ["Carlos", "Sofía", "Miguel", "Valeria", "Jorge", "Daniela", "Luis", "Gabriela"],
           ["Hernández", "Ramírez", "Flores", "Morales", "Vargas", "Reyes", "Mendoza", "Aguilar"], "+52 55 5555",
           ["Azteca", "Pacífico", "Bajío", "Sierra Madre", "Golfo", "Anáhuac"], ["S.A. de C.V.", "Distribuidora", "Industrial"]),
    "AE": ("United Arab Emirates", "ae", ["Ahmed", "Fatima", "Omar", "Mariam", "Khalid", "Aisha", "Yousef", "Noura"],
           ["Al Mansoori", "Al Hashimi", "Al Suwaidi", "Al Nuaimi", "Al Marzouqi", "Al Zaabi", "Al Shamsi", "Al Mazrouei"], "+971 4 555",
           ["Gulf Star", "Desert Rose", "Creek Side", "Oasis", "Falcon", "Palm Coast"], ["Trading LLC", "General Trading", "FZE"]),
    "SA": ("Saudi Arabia", "com.sa", ["Abdullah", "Noura", "Faisal", "Reem", "Saud", "Hessa", "Turki", "Lama"],
           ["Al Qahtani", "Al Harbi", "Al Ghamdi", "Al Otaibi", "Al Dosari", "Al Shehri", "Al Zahrani", "Al Mutairi"], "+966 11 555",
           ["Najd", "Red Sea", "Al Noor", "Riyadh Gate", "Eastern Star", "Hijaz"], ["Trading Est.", "Co. Ltd", "Contracting"]),
    "IN": ("India", "in", ["Rahul", "Priya", "Amit", "Sneha", "Vikram", "Ananya", "Arjun", "Kavya"],
           ["Sharma", "Patel", "Iyer", "Reddy", "Mehta", "Nair", "Gupta", "Desai"], "+91 22 5555",
           ["Sahyadri", "Ganga", "Deccan", "Malabar", "Vindhya", "Coromandel"], ["Pvt Ltd", "Enterprises", "Industries"]),
    "RU": ("Russia", "ru", ["Dmitry", "Olga", "Sergey", "Natalia", "Alexei", "Irina", "Pavel", "Yulia"],
           ["Ivanov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Morozov", "Volkova"], "+7 495 555",
           ["Volga", "Ural", "Severny", "Baikal", "Neva", "Sibir"], ["OOO", "Trade OOO", "Prom"]),
    "AU": ("Australia", "com.au", ["Jack", "Charlotte", "William", "Olivia", "Thomas", "Mia", "Noah", "Ruby"],
           ["Mitchell", "Campbell", "Fraser", "Sinclair", "Gallagher", "Doyle", "Hayward", "Lachlan"], "+61 2 5555",
           ["Southern Cross", "Coral Coast", "Outback", "Harbourside", "Blue Mountains", "Murray"], ["Pty Ltd", "Supplies Pty Ltd", "Group"]),
    "JP": ("Japan", "co.jp", ["Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Takumi", "Sakura"],
           ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"], "+81 3 5555",
           ["Fujimi", "Minato", "Kansai", "Hokuto", "Asahi", "Setouchi"], ["Co., Ltd.", "Shoji K.K.", "Trading K.K."]),
    "KR": ("South Korea", "co.kr", ["Minjun", "Seoyeon", "Jihoon", "Jiwoo", "Hyunwoo", "Soyeon", "Donghyun", "Eunji"],
           ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Han"], "+82 2 555",
           ["Hanbit", "Daehan", "Saerom", "Gaon", "Haneul", "Mirae"], ["Co., Ltd.", "Corporation", "Trading"]),
}

INDUSTRIES = [
    ("Valves", ["Valve", "Flow Control", "Armaturen" ], "valves"),
    ("LED lighting", ["Lighting", "LED", "Illumination"], "led"),
    ("Textiles", ["Textiles", "Fabrics", "Home Textile"], "textil"),
    ("Pumps", ["Pumps", "Pumping Systems", "Hydraulics"], "pumps"),
    ("Hardware", ["Hardware", "Fasteners", "Tools"], "hardware"),
    ("Packaging", ["Packaging", "Pack", "Containers"], "pack"),
]

TITLES = ["Purchasing Manager", "Procurement Director", "Senior Buyer", "Import Manager", "Sourcing Specialist",
          "Category Manager", "Managing Director", "Supply Chain Manager", "Owner", "Technical Buyer"]

SOURCES = ["Canton Fair 2026", "Alibaba RFQ", "Hannover Messe", "LinkedIn", "Website enquiry", "Trade directory"]
TAGS = ["fair-2026", "distributor", "end-user", "vip", "sample-sent"]


def ascii_slug(text):
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    out = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "".join(c if c.isalnum() else "-" for c in out).strip("-").replace("--", "-")


def main():
    rnd = random.Random(20260315)
    rows = []
    used = set()
    codes = list(MARKETS)
    for i in range(186):
        code = codes[i % len(codes)]
        country, tld, firsts, lasts, phone, words, suffixes = MARKETS[code]
        industry, nouns, slug = INDUSTRIES[rnd.randrange(len(INDUSTRIES))]
        word = rnd.choice(words)
        company = f"{word} {rnd.choice(nouns)} {rnd.choice(suffixes)}"
        domain = f"{ascii_slug(word)}-{slug}.{tld}"
        first, last = rnd.choice(firsts), rnd.choice(lasts)
        local = rnd.choice([f"{first}.{last}", f"{first[0]}.{last}", f"{first}", f"{first}{last[0]}"])
        local = ascii_slug(local).replace("-", ".")
        email = f"{local}@{domain}"
        if email in used:
            email = f"{local}{i}@{domain}"
        used.add(email)
        rows.append({
            "First name": first, "Last name": last, "Email": email, "Company": company,
            "Title": rnd.choice(TITLES),
            # A third of the rows leave the country out: Outbound infers it from the ccTLD.
            "Country": country if rnd.random() > 0.33 else "",
            "Phone": f"{phone} {rnd.randrange(1000, 9999)}",
            "Website": f"https://www.{domain}",
            "Source": rnd.choice(SOURCES),
            "Tags": ", ".join(sorted(rnd.sample(TAGS, rnd.randrange(0, 3)))),
            "Notes": f"Interested in {industry.lower()}",
        })

    def bad(first, last, email, company, country, note):
        rows.append({"First name": first, "Last name": last, "Email": email, "Company": company,
                     "Title": "Buyer", "Country": country, "Phone": "", "Website": "",
                     "Source": "Trade directory", "Tags": "", "Notes": note})

    # Wrong on purpose: what hygiene must catch or repair.
    bad("Kevin", "Doyle", "kevin.doyle@gmial.com", "Doyle Hardware", "Australia", "typo: gmial.com")
    bad("Wei", "Zhang", "zhang.wei@126.con", "Zhang Import Co", "", "typo: .con")
    bad("Paulo", "Mendes", "paulo.mendes@hotmial.com", "Mendes Têxtil", "Brazil", "typo: hotmial.com")
    bad("Sven", "Krüger", "s.krueger＠nordstern-valves.de", "Nordstern Valve GmbH", "Germany", "full-width at sign")
    bad("Aiko", "Mori", "a.mori@fujimi-led.co.jp，", "Fujimi LED Co., Ltd.", "Japan", "trailing full-width comma")
    bad("", "", "info@mersey-pack.co.uk", "Mersey Packaging Ltd", "United Kingdom", "role address (kept, flagged)")
    bad("Temp", "User", "buyer2026@mailinator.com", "", "", "disposable mailbox")
    bad("Rahul", "Sharma", "rahul.sharma@ganga-textil", "Ganga Textiles Pvt Ltd", "India", "no TLD")
    bad("Elena", "Castro", "elena.castro@levante-pumps.es.", "Levante Pumps S.L.", "Spain", "trailing dot")
    bad("Omar", "Al Hashimi", "Omar Al Hashimi <omar@falcon-hardware.ae>", "Falcon Hardware Trading LLC",
        "United Arab Emirates", "display name in the cell")
    bad("Giulia", "Conti", "mailto:giulia.conti@padana-valves.it", "Padana Valve S.r.l.", "Italy", "mailto: link")
    bad("Mark", "Hughes", "mark.hughes@yahoo.con", "Hughes Supply", "United States", "typo: yahoo.con")
    bad("Ivan", "Sokolov", "ivan.sokolov.volga-pumps.ru", "Volga Pumps OOO", "Russia", "no @")
    bad("Jiwoo", "Park", "jiwoo..park@hanbit-led.co.kr", "Hanbit LED Co., Ltd.", "South Korea", "double dot")
    # The same person twice, once with the domain in capitals: one contact.
    first = rows[1]
    dup = dict(first)
    dup["Email"] = first["Email"].split("@")[0] + "@" + first["Email"].split("@")[1].upper()
    dup["Notes"] = "duplicate row"
    rows.append(dup)

    out = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()), lineterminator="\r\n")
    out.writeheader()
    out.writerows(rows)


if __name__ == "__main__":
    main()
