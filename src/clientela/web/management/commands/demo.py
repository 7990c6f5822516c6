"""`clientela demo`: users, companies, contacts, deals, purchases and activities to try Clientela with.

Everything is created through the services, the way a person creates it, from a fixed seed, so
two empty databases get the same people. A database that already has data is left alone: the
command then only prints the demo logins.

Addresses and websites use the reserved `.example` / `example.com` names, and British phones
Ofcom's drama ranges, so no demo message can reach a real inbox. Ukrainian and other mobile
numbers have no such range; they are random valid numbers.
"""

import calendar
import datetime
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from clientela.accounts.models import Role, Team, User
from clientela.accounts.services import team_create, user_create
from clientela.contacts.models import Company, Contact, Lifecycle
from clientela.contacts.services import company_create, contact_create
from clientela.core.text import transliterate
from clientela.retention.complaints.demo import complaints_demo
from clientela.retention.discounts.demo import seed_discounts
from clientela.retention.experiments.demo import experiments_demo
from clientela.retention.health.demo import health_demo
from clientela.retention.surveys.demo import seed_surveys
from clientela.web.management.commands._demo_sales import SalesDemo

PhoneFormat = phonenumbers.PhoneNumberFormat

SEED = 1991_08_24
DEMO_PASSWORD = "clientela-demo"
COMPANY_COUNT = {"uk": 32, "ru": 10, "en": 18}
CONTACT_COUNT = {"uk": 165, "ru": 60, "en": 75}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str | None
    language: str


TEAMS = ["Київ", "Львів"]
USERS = [
    DemoUser("admin", "Віктор", "Гнатюк", Role.ADMIN, None, "uk"),
    DemoUser("olena", "Олена", "Коваль", Role.LEAD, "Київ", "uk"),
    DemoUser("andrii", "Андрій", "Мельник", Role.MANAGER, "Київ", "uk"),
    DemoUser("natalia", "Наталья", "Соколова", Role.MANAGER, "Київ", "ru"),
    DemoUser("taras", "Тарас", "Бойко", Role.LEAD, "Львів", "uk"),
    DemoUser("iryna", "Ірина", "Ткачук", Role.MANAGER, "Львів", "uk"),
    DemoUser("james", "James", "Walker", Role.MANAGER, "Львів", "en"),
    DemoUser("sofia", "Софія", "Лисенко", Role.VIEWER, "Київ", "uk"),
]
# Who looks after clients of each language most often (the rest are spread over everyone).
LANGUAGE_OWNER = {"ru": "natalia", "en": "james"}

# --- people ---------------------------------------------------------------------------------------

FIRST_NAMES = {
    ("uk", "m"): "Олександр Андрій Богдан Василь Віктор Дмитро Іван Ігор Максим Микола Михайло "
    "Олег Павло Петро Роман Сергій Тарас Юрій Ярослав Володимир Степан Остап",
    ("uk", "f"): "Олена Наталія Ірина Оксана Тетяна Юлія Марія Анна Катерина Світлана Людмила "
    "Галина Вікторія Ольга Софія Дарина Христина Ганна Лариса Надія Соломія Леся",
    ("ru", "m"): "Александр Алексей Андрей Дмитрий Евгений Иван Игорь Максим Михаил Николай "
    "Олег Павел Сергей Владимир Юрий Константин Артём Виктор Борис Григорий",
    ("ru", "f"): "Анна Екатерина Елена Ирина Мария Наталья Ольга Светлана Татьяна Юлия "
    "Анастасия Дарья Ксения Марина Галина Вера Людмила Полина Алина Валентина",
    ("en", "m"): "James John Robert Michael William David Thomas Daniel Matthew George Oliver "
    "Henry Edward Samuel Jack Charles",
    ("en", "f"): "Emily Sarah Jessica Emma Olivia Sophie Charlotte Hannah Grace Lucy Amelia "
    "Rachel Laura Eleanor Alice Harriet",
}
# Father's name → patronymic of a son : of a daughter.
PATRONYMICS = {
    "uk": "Олександрович:Олександрівна Андрійович:Андріївна Богданович:Богданівна "
    "Васильович:Василівна Вікторович:Вікторівна Дмитрович:Дмитрівна Іванович:Іванівна "
    "Ігорович:Ігорівна Миколайович:Миколаївна Михайлович:Михайлівна Олегович:Олегівна "
    "Павлович:Павлівна Петрович:Петрівна Романович:Романівна Сергійович:Сергіївна "
    "Юрійович:Юріївна Ярославович:Ярославівна Володимирович:Володимирівна Степанович:Степанівна",
    "ru": "Александрович:Александровна Алексеевич:Алексеевна Андреевич:Андреевна "
    "Дмитриевич:Дмитриевна Евгеньевич:Евгеньевна Иванович:Ивановна Игоревич:Игоревна "
    "Михайлович:Михайловна Николаевич:Николаевна Олегович:Олеговна Павлович:Павловна "
    "Сергеевич:Сергеевна Владимирович:Владимировна Юрьевич:Юрьевна Викторович:Викторовна "
    "Борисович:Борисовна Константинович:Константиновна Григорьевич:Григорьевна",
}
# Surnames in the masculine form; `feminine_surname` gives the woman's form.
SURNAMES = {
    "uk": "Шевченко Коваленко Бондаренко Ткаченко Кравченко Мельник Поліщук Савчук Лисенко "
    "Марченко Руденко Гончаренко Кравчук Олійник Шевчук Мороз Петренко Павленко Литвиненко "
    "Яворський Вишневський Ковальський Зайченко Білецький Гнатюк Дорошенко Романюк Симоненко "
    "Федорчук Костенко Пономаренко Захарченко Зінченко Остапчук Левицький",
    "ru": "Иванов Смирнов Кузнецов Попов Волков Соколов Лебедев Козлов Новиков Морозов Петров "
    "Орлов Зайцев Павлов Семёнов Голубев Виноградов Белов Медведев Егоров Никольский Тихонов "
    "Фомин Борисов Ильин Калинин Жуковский Савин Громов Крылов",
    "en": "Carter Smith Johnson Brown Taylor Wilson Evans Walker Wright Hughes Green Baker Harris "
    "Clarke Turner Parker Mitchell Cooper Morgan Bennett Ward Fletcher Hudson Palmer",
}
JOB_TITLES = {
    "uk": "Директор|Комерційний директор|Головний бухгалтер|Менеджер із закупівель|Власник|"
    "Керівник відділу продажів|Офіс-менеджер|Юрист|Логіст",
    "ru": "Генеральный директор|Коммерческий директор|Главный бухгалтер|Менеджер по закупкам|"
    "Владелец|Руководитель отдела продаж|Юрист",
    "en": "Managing Director|Procurement Manager|Finance Director|Owner|Head of Sales|"
    "Operations Manager|Office Manager",
}
SOURCES = {
    "uk": "Сайт|Рекомендація|Виставка|Холодний дзвінок|Facebook|Повторне звернення",
    "ru": "Сайт|Рекомендация|Выставка|Холодный звонок|Instagram",
    "en": "Website|Referral|Trade show|LinkedIn|Cold call",
}
NOTES = {
    "uk": "Краще телефонувати після 14:00.|Просить рахунки лише електронною поштою.|"
    "Цікавиться знижкою за обсяг.|Має собаку на ім'я Бублик, любить про нього розповідати.",
    "ru": "Предпочитает общение в мессенджерах.|Решения принимает вместе с партнёром.|"
    "Просил перезвонить после отпуска.",
    "en": "Prefers email to calls.|Budget is approved every quarter.|Met at the Kyiv trade fair.",
}
CONTACT_TAGS = ["VIP", "Опт", "Роздріб", "Партнер", "Рекомендація", "Newsletter", "Дилер"]
COMPANY_TAGS = ["Ключовий клієнт", "Постачальник", "Партнер", "Дилер", "Тендер"]
LIFECYCLES = [
    (Lifecycle.LEAD, 25), (Lifecycle.PROSPECT, 20), (Lifecycle.CUSTOMER, 45), (Lifecycle.FORMER, 10),
]  # fmt: skip

# --- companies ------------------------------------------------------------------------------------

# Industry: its name in uk / ru / en and a word for company names in each language.
INDUSTRIES = [
    ("Сільське господарство|Сельское хозяйство|Agriculture", "Агро|Агро|Farms"),
    ("Будівництво|Строительство|Construction", "Буд|Строй|Construction"),
    ("Логістика|Логистика|Logistics", "Транс|Транс|Logistics"),
    ("Оптова торгівля|Оптовая торговля|Wholesale", "Трейд|Трейд|Trading"),
    ("Автомобільний дилер|Автомобильный дилер|Car dealership", "Авто|Авто|Motors"),
    ("Страхування|Страхование|Insurance", "Гарант|Гарант|Insurance"),
    ("ІТ-послуги|ИТ-услуги|IT services", "Софт|Софт|Software"),
    ("Виробництво меблів|Производство мебели|Furniture", "Меблі|Мебель|Furniture"),
    ("Харчова промисловість|Пищевая промышленность|Food production", "Продукт|Продукт|Foods"),
    ("Фармацевтика|Фармацевтика|Pharmaceuticals", "Фарм|Фарм|Pharma"),
]
LANGUAGE_INDEX = {"uk": 0, "ru": 1, "en": 2}
COMPANY_ROOTS = {
    "uk": "Світанок Граніт Поділля Карпати Дніпро Оболонь Полісся Таврія Берегиня Колос Зоря "
    "Вектор Альянс Лан Явір Смерека Буковина Говерла Чумак",
    "ru": "Север Восток Меридиан Гранит Альянс Вектор Орион Стандарт Самарканд Зарафшан Алмаз",
    "en": "Northwind|Blue Harbour|Greenfield|Kingsbridge|Riverside|Oakwood|Westbury|Ashford|"
    "Highgate|Silverline|Redbrook|Fairway",
}
LEGAL_FORMS = {"uk": ["ТОВ", "ТОВ", "ТОВ", "ПрАТ"], "ru": ["ООО"], "en": ["Ltd"]}
# City, postcode, streets; and the phone area code with the digits that follow it.
CITIES = {
    "uk": [
        ("м. Київ", "01001", "44", 7), ("м. Львів", "79000", "32", 7), ("м. Одеса", "65000", "48", 7),
        ("м. Харків", "61000", "57", 7), ("м. Дніпро", "49000", "56", 7),
        ("м. Вінниця", "21000", "432", 6), ("м. Полтава", "36000", "532", 6),
    ],
    "ru": [("г. Ташкент", "100000", "71", 7)],
    # Ofcom's drama numbers: 020 7946 0xxx, 0161 496 0xxx, ...
    "en": [
        ("London", "EC2A 4NE", "2079460", 3), ("Manchester", "M1 1AE", "1614960", 3),
        ("Leeds", "LS1 4DY", "1134960", 3), ("Bristol", "BS1 4DJ", "1174960", 3),
    ],
}  # fmt: skip
STREETS = {
    "uk": "вул. Шевченка|просп. Незалежності|вул. Івана Франка|вул. Грушевського|вул. Соборна|"
    "бул. Лесі Українки|вул. Садова|вул. Січових Стрільців",
    "ru": "ул. Амира Темура|ул. Навои|ул. Мустакиллик|ул. Шота Руставели|ул. Бабура",
    "en": "High Street|Station Road|King Street|Victoria Street|Church Lane|Mill Road",
}
COUNTRY_CODE = {"uk": "380", "ru": "998", "en": "44"}
MOBILE_PREFIXES = {
    "uk": ["50", "66", "95", "99", "67", "68", "96", "97", "98", "63", "73", "93"],
    "ru": ["90", "91", "93", "94", "97", "99"],  # Uzbekistan
    "en": ["74", "75", "77", "78", "79"],
    "pl": ["50", "51", "53", "57", "60", "66", "69", "72", "78", "79"],
}
MOBILE_COUNTRY = {"uk": "380", "ru": "998", "en": "44", "pl": "48"}
MOBILE_LENGTH = {"uk": 7, "ru": 7, "en": 8, "pl": 7}


def feminine_surname(surname: str, language: str) -> str:
    if language == "uk" and surname.endswith("ький"):
        return surname[:-2] + "а"  # Яворський → Яворська
    if language == "ru":
        if surname.endswith(("ский", "цкий")):
            return surname[:-2] + "ая"  # Никольский → Никольская
        if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return surname + "а"  # Волков → Волкова
    return surname  # Шевченко, Мельник, Carter: the same for everyone


def edrpou(rng: random.Random) -> str:
    """An 8-digit EDRPOU code with a correct check digit (the State Statistics rule)."""
    digits = [rng.randint(3, 4)] + [rng.randint(0, 9) for _ in range(6)]
    base = int("".join(map(str, digits))) * 10
    weights = [7, 1, 2, 3, 4, 5, 6] if 30_000_000 < base < 60_000_000 else [1, 2, 3, 4, 5, 6, 7]
    for shift in (0, 2):
        check = sum(d * (w + shift) for d, w in zip(digits, weights, strict=True)) % 11
        if check < 10:
            break
    return "".join(map(str, digits)) + str(check % 10)


# Russian spellings differ from the Ukrainian national table the search folding uses.
RUSSIAN_LATIN = str.maketrans(
    {"и": "i", "г": "g", "й": "y", "ы": "y", "е": "e", "ё": "e", "э": "e", "ю": "yu", "я": "ya"}
)
WORD_START = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def latin(word: str, language: str = "uk") -> str:
    """Lower-case Latin for an email address or a domain name."""
    word = word.lower()
    if language == "ru":
        word = word.translate(RUSSIAN_LATIN)
    elif word[:1] in WORD_START:
        word = WORD_START[word[0]] + word[1:]  # Юлія → Yuliia, as in a passport
    return re.sub(r"[^a-z0-9]+", "-", transliterate(word)).strip("-")


def _words(text: str) -> list[str]:
    return text.split("|") if "|" in text else text.split()


class DemoBuilder:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.users: dict[str, User] = {}

    # -- unique channels --------------------------------------------------------------------

    def _phone(self, make: Callable[[], str]) -> str:
        """A valid number nobody in the demo has yet, spelled the ways people type numbers.

        Home-region numbers come in local spellings too; foreign ones always with their
        country code, as a person would type them.
        """
        while True:
            e164 = "+" + make()
            number = phonenumbers.parse(e164, None)
            if phonenumbers.is_valid_number(number) and e164 not in self.phones:
                self.phones.add(e164)
                break
        styles = [e164, phonenumbers.format_number(number, PhoneFormat.INTERNATIONAL)]
        if phonenumbers.region_code_for_number(number) == settings.DEFAULT_PHONE_REGION:
            national = phonenumbers.format_number(number, PhoneFormat.NATIONAL)
            digits = re.sub(r"\D", "", national)
            styles += [national, f"({digits[:3]}){digits[3:6]}-{digits[6:]}"]
        return self.rng.choice(styles)

    def _digits(self, count: int) -> str:
        return "".join(str(self.rng.randint(0, 9)) for _ in range(count))

    def mobile(self, country: str) -> str:
        def make() -> str:
            prefix = self.rng.choice(MOBILE_PREFIXES[country])
            return MOBILE_COUNTRY[country] + prefix + self._digits(MOBILE_LENGTH[country])

        return self._phone(make)

    def landline(self, language: str, area: str, length: int) -> str:
        return self._phone(lambda: COUNTRY_CODE[language] + area + self._digits(length))

    def email(self, local_parts: list[str], domain: str, language: str) -> str:
        local = ".".join(latin(part, language) for part in local_parts if part)
        address = f"{local}@{domain}"
        suffix = 1
        while address in self.emails:
            suffix += 1
            address = f"{local}{suffix}@{domain}"
        self.emails.add(address)
        return address

    # -- users --------------------------------------------------------------------------------

    def create_users(self) -> None:
        teams: dict[str, Team] = {name: team_create(name=name) for name in TEAMS}
        for demo in USERS:
            self.users[demo.username] = user_create(
                username=demo.username,
                password=DEMO_PASSWORD,
                role=demo.role,
                team=teams[demo.team] if demo.team else None,
                first_name=demo.first_name,
                last_name=demo.last_name,
                email=f"{demo.username}@clientela.example",
                language=demo.language,
            )

    def owner_for(self, language: str) -> User:
        sellers = [u for u in USERS if u.role in (Role.LEAD, Role.MANAGER)]
        favourite = LANGUAGE_OWNER.get(language)
        if favourite and self.rng.random() < 0.6:
            return self.users[favourite]
        return self.users[self.rng.choice(sellers).username]

    # -- companies ----------------------------------------------------------------------------

    def create_companies(self) -> dict[str, list[Company]]:
        companies: dict[str, list[Company]] = {lang: [] for lang in COMPANY_COUNT}
        names: set[str] = set()
        for language, count in COMPANY_COUNT.items():
            i = LANGUAGE_INDEX[language]
            while len(companies[language]) < count:
                industry, words = self.rng.choice(INDUSTRIES)
                root = self.rng.choice(_words(COMPANY_ROOTS[language]))
                word = words.split("|")[i]
                form = self.rng.choice(LEGAL_FORMS[language])
                brand = f"{root} {word}" if language == "en" else f"{root}-{word}"
                name = f"{brand} {form}" if language == "en" else f"{form} «{brand}»"
                if name in names:
                    continue
                names.add(name)
                domain = "-".join(latin(w, language) for w in brand.split()) + ".example"
                city, postcode, area, length = self.rng.choice(CITIES[language])
                street = self.rng.choice(_words(STREETS[language]))
                number = self.rng.randint(1, 120)
                if language == "en":
                    address = f"{number} {street}, {city} {postcode}"
                    legal_id = "1" + self._digits(7)  # Companies House number
                elif language == "ru":
                    address = f"{street}, {number}, {city}, {postcode}"
                    legal_id = "30" + self._digits(7)  # ИНН of a Tashkent firm
                else:
                    address = f"{street}, {number}, {city}, {postcode}"
                    legal_id = edrpou(self.rng)
                owner = self.owner_for(language)
                data: dict[str, Any] = {
                    "name": name,
                    "legal_id": legal_id,
                    "industry": industry.split("|")[i],
                    "website": f"https://{domain}",
                    "address": address,
                    "phones": [self.landline(language, area, length)],
                    "emails": [
                        self.email([self.rng.choice(["info", "office", "sales"])], domain, language)
                    ],
                    "tags": self.rng.sample(COMPANY_TAGS, self.rng.choice([0, 0, 1, 1, 2])),
                }
                company = company_create(actor=owner, data=data, allow_duplicate=False)
                companies[language].append(company)
        return companies

    # -- contacts -----------------------------------------------------------------------------

    def person(self, language: str) -> dict[str, str]:
        gender = self.rng.choice("mf")
        surname = self.rng.choice(_words(SURNAMES[language]))
        person = {
            "first_name": self.rng.choice(_words(FIRST_NAMES[language, gender])),
            "middle_name": "",
            "last_name": feminine_surname(surname, language) if gender == "f" else surname,
        }
        if language in PATRONYMICS:
            son, daughter = self.rng.choice(_words(PATRONYMICS[language])).split(":")
            person["middle_name"] = son if gender == "m" else daughter
        return person

    def birthday(self) -> dict[str, int | None]:
        if self.rng.random() < 0.25:
            return {}
        year = self.rng.randint(1958, 2002) if self.rng.random() < 0.65 else None
        month = self.rng.randint(1, 12)
        day = self.rng.randint(1, calendar.monthrange(year or 2000, month)[1])
        return {"birth_day": day, "birth_month": month, "birth_year": year}

    def create_contacts(self, companies: dict[str, list[Company]]) -> int:
        created = 0
        lifecycles, weights = zip(*LIFECYCLES, strict=True)
        for language, count in CONTACT_COUNT.items():
            for _ in range(count):
                person = self.person(language)
                pool = companies["uk" if language == "ru" and self.rng.random() < 0.5 else language]
                company = self.rng.choice(pool) if self.rng.random() < 0.7 else None
                owner = company.owner if company else self.owner_for(language)
                phone_country = language
                if company is None and language == "ru" and self.rng.random() < 0.6:
                    phone_country = "uk"  # a Russian-speaking client in Ukraine
                phones = [self.mobile(phone_country)] if self.rng.random() < 0.9 else []
                if phones and self.rng.random() < 0.1:
                    phones.append(self.mobile("pl" if language == "uk" else phone_country))
                names = [person["first_name"], person["last_name"]]
                emails = []
                if company is not None and self.rng.random() < 0.85:
                    emails.append(
                        self.email(names, company.website.removeprefix("https://"), language)
                    )
                if self.rng.random() < 0.45:
                    emails.append(
                        self.email(names, self.rng.choice(["example.com", "example.net"]), language)
                    )
                data: dict[str, Any] = {
                    **person,
                    **self.birthday(),
                    "language": language,
                    "company": company.pk if company else None,
                    "job_title": self.rng.choice(_words(JOB_TITLES[language])) if company else "",
                    "owner": owner.pk,
                    "lifecycle": self.rng.choices(lifecycles, weights)[0],
                    "source": self.rng.choice(_words(SOURCES[language])),
                    "phones": phones,
                    "emails": emails,
                    "tags": self.rng.sample(CONTACT_TAGS, self.rng.choice([0, 0, 1, 1, 2, 3])),
                    "notes": self.rng.choice(_words(NOTES[language]))
                    if self.rng.random() < 0.2
                    else "",
                }
                if self.rng.random() < 0.45:
                    data["marketing_consent"] = True
                    data["consent_at"] = timezone.now() - datetime.timedelta(
                        days=self.rng.randint(1, 700), minutes=self.rng.randint(0, 1440)
                    )
                contact_create(actor=owner, data=data, allow_duplicate=False)
                created += 1
        return created


def demo_url() -> str:
    """Where `clientela serve` answers with the same environment."""
    host = os.environ.get("CLIENTELA_HOST", "127.0.0.1")
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{os.environ.get('CLIENTELA_PORT', '8000')}/"


def retain_demo(rng: random.Random, users: dict[str, User]) -> dict[str, int]:
    """Complaints, survey answers, the discount policy, client health and experiments, made
    once the clients and their purchases exist (health is fitted on those purchases)."""
    complaints = complaints_demo(rng, users)
    clients = list(Contact.objects.filter(lifecycle=Lifecycle.CUSTOMER).order_by("id"))
    answers = seed_surveys(rng, clients)
    health = health_demo()
    experiments = experiments_demo(rng)
    # Last: the discounts given so far are the history the policy is then measured against.
    seed_discounts(admin=users["admin"])
    return {
        "complaints": complaints,
        "answers": answers,
        "experiments": experiments["experiments"],
        "at_risk": health.at_risk,
    }


class Command(BaseCommand):
    help = "Fill an empty database with demo clients, deals and activities; print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        usernames = [u.username for u in USERS]
        if User.objects.exists() or Contact.all_objects.exists() or Company.all_objects.exists():
            if User.objects.filter(username__in=usernames).count() == len(USERS):
                self.stdout.write("Demo data is already there; nothing was added.")
                self.print_logins()
            else:
                self.stdout.write(
                    "The database already has data, so no demo data was added "
                    "(demo data goes only into an empty database)."
                )
            return
        builder = DemoBuilder()
        with transaction.atomic():
            builder.create_users()
            companies = builder.create_companies()
            contacts = builder.create_contacts(companies)
            sales = SalesDemo(builder.rng, builder.users).run()
            retain = retain_demo(builder.rng, builder.users)
        total = sum(len(c) for c in companies.values())
        self.stdout.write(
            f"Demo data created: {len(USERS)} users, {total} companies, {contacts} contacts, "
            f"{sales['deals']} deals, {sales['purchases']} purchases, "
            f"{sales['activities']} calls, meetings, emails and notes, {sales['tasks']} tasks, "
            f"{sales['gestures']} gestures, {retain['complaints']} complaints, "
            f"{retain['answers']} survey answers, {retain['experiments']} experiments, "
            f"{retain['at_risk']} clients at risk."
        )
        self.print_logins()

    def print_logins(self) -> None:
        rows = [("username", "password", "role", "team")]
        rows += [(u.username, DEMO_PASSWORD, str(u.role), u.team or "—") for u in USERS]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["", f"  Open {demo_url()} and log in as one of:", ""]
        lines += [
            (
                "    " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            ).rstrip()
            for row in rows
        ]
        lines += [
            "",
            "  admin sees everything, a lead the team's records, a manager their own;",
            "  the viewer reads the team's records and changes nothing.",
            "",
        ]
        self.stdout.write("\n".join(lines))
