"""The suggested text a school starts from, and its translations into the families'
languages, line for line."""


# The default text, in our own words, from seed 000's commitments (teachers set
# high-quality homework and support parents; parents make sure it is done and keep in
# touch) and seed 003's partnership guidance (two-way contact, support for learning at
# home, policies easy to find, parents' views heard). One commitment per line.

DEFAULT_TEXT = {
    "title": "Home-school agreement",
    "introduction": (
        "Children do best when home and school work together. This agreement sets out what "
        "the school, your child's teachers, you and your child each commit to, so that "
        "homework is worth doing and gets done. Please read it with your child.\n"
        "Signing it is your choice: it is never a condition of anything, and nothing "
        "happens to you or your child if you do not sign."
    ),
    "school_commitments": "\n".join(
        [
            "Publish our homework policy where you can easily find it, and explain how "
            "much homework to expect in each year.",
            "Keep in regular contact with you about your child's progress, not only when "
            "something has gone wrong.",
            "Tell you promptly about missed homework, detentions and meetings, in the "
            "language you prefer.",
            "Reply to your messages within three school days.",
            "Run a homework club with computers and staff to help, for pupils who need "
            "a quiet place to work.",
            "Offer sessions and guidance on how to support learning at home.",
            "Ask for your views, and tell you what we have done with them.",
        ]
    ),
    "teacher_commitments": "\n".join(
        [
            "Set high-quality homework that helps your child make progress, with clear "
            "instructions and a realistic idea of how long it should take.",
            "Set homework as often as the school's policy says, so that the load stays "
            "fair across the week.",
            "Give a version with more support to pupils who need it.",
            "Mark homework and give feedback your child can act on.",
            "Get in touch early if your child is struggling or missing homework.",
        ]
    ),
    "parent_commitments": "\n".join(
        [
            "Make sure homework is done, ideally before other activities.",
            "Give your child a quiet time and place to work, or encourage them to use "
            "homework club.",
            "Look at your child's homework each week and sign off the week online.",
            "Stay in touch with the school: read our messages, come to meetings when "
            "invited, and tell us about anything that affects your child's learning.",
            "Talk with your child about what they are learning, and encourage reading.",
            "Keep communication with staff respectful, as we will with you.",
        ]
    ),
    "pupil_commitments": "\n".join(
        [
            "Check my planner every day and know what homework is due.",
            "Do my homework on time and to the best of my ability.",
            "Ask my teacher for help early if I do not understand, or go to homework club.",
            "Read my teachers' feedback and use it to improve.",
            "Tell my parents or carers about my homework and what I am learning.",
        ]
    ),
}


# The suggested text in Polish and Urdu: a translation of DEFAULT_TEXT, line for line, so
# that a school that keeps the suggested English can publish these at once.

DEFAULT_TRANSLATIONS = {
    "pl": {
        "title": "Umowa szkoła–dom",
        "introduction": (
            "Dzieci osiągają najwięcej, gdy dom i szkoła współpracują. Ta umowa określa, do "
            "czego zobowiązują się szkoła, nauczyciele Państwa dziecka, Państwo i Państwa "
            "dziecko, aby zadania domowe miały sens i były odrabiane. Prosimy przeczytać ją "
            "razem z dzieckiem.\n"
            "Podpisanie umowy jest Państwa wyborem: nigdy nie jest warunkiem czegokolwiek i "
            "nic nie grozi ani Państwu, ani dziecku, jeśli jej nie podpiszą."
        ),
        "school_commitments": "\n".join(
            [
                "Publikować politykę dotyczącą zadań domowych w łatwo dostępnym miejscu i "
                "wyjaśniać, ilu zadań domowych można się spodziewać w każdym roku nauki.",
                "Regularnie informować Państwa o postępach dziecka, nie tylko wtedy, gdy coś "
                "pójdzie nie tak.",
                "Niezwłocznie informować o nieoddanych zadaniach domowych, karach pozostania "
                "po lekcjach i spotkaniach, w wybranym przez Państwa języku.",
                "Odpowiadać na Państwa wiadomości w ciągu trzech dni szkolnych.",
                "Prowadzić świetlicę do odrabiania lekcji z komputerami i pracownikami, którzy "
                "pomagają uczniom potrzebującym spokojnego miejsca do nauki.",
                "Organizować spotkania i udzielać wskazówek, jak wspierać naukę w domu.",
                "Pytać o Państwa opinie i informować, co z nimi zrobiliśmy.",
            ]
        ),
        "teacher_commitments": "\n".join(
            [
                "Zadawać wartościowe zadania domowe, które pomagają dziecku robić postępy, z "
                "jasnymi instrukcjami i realistyczną informacją, ile czasu powinny zająć.",
                "Zadawać zadania domowe tak często, jak przewiduje polityka szkoły, aby "
                "obciążenie było rozłożone sprawiedliwie w ciągu tygodnia.",
                "Przygotowywać wersję z większym wsparciem dla uczniów, którzy jej potrzebują.",
                "Sprawdzać zadania domowe i przekazywać informacje zwrotne, z których dziecko "
                "może skorzystać.",
                "Kontaktować się wcześnie, jeśli dziecko ma trudności lub nie odrabia zadań "
                "domowych.",
            ]
        ),
        "parent_commitments": "\n".join(
            [
                "Dopilnować, aby zadania domowe były odrabiane, najlepiej przed innymi zajęciami.",
                "Zapewnić dziecku spokojny czas i miejsce do nauki albo zachęcać je do "
                "korzystania ze świetlicy do odrabiania lekcji.",
                "Co tydzień przeglądać zadania domowe dziecka i potwierdzać tydzień online.",
                "Utrzymywać kontakt ze szkołą: czytać nasze wiadomości, przychodzić na "
                "spotkania, gdy zostaną Państwo zaproszeni, i informować nas o wszystkim, co "
                "wpływa na naukę dziecka.",
                "Rozmawiać z dzieckiem o tym, czego się uczy, i zachęcać je do czytania.",
                "Zachowywać szacunek w kontaktach z pracownikami szkoły, tak jak my wobec Państwa.",
            ]
        ),
        "pupil_commitments": "\n".join(
            [
                "Codziennie sprawdzać swój plan i wiedzieć, jakie zadania domowe są do oddania.",
                "Odrabiać zadania domowe na czas i najlepiej, jak potrafi.",
                "Wcześnie prosić nauczyciela o pomoc, jeśli czegoś nie rozumie, albo "
                "przychodzić na świetlicę do odrabiania lekcji.",
                "Czytać informacje zwrotne od nauczycieli i korzystać z nich, aby się poprawiać.",
                "Opowiadać rodzicom lub opiekunom o zadaniach domowych i o tym, czego się uczy.",
            ]
        ),
    },
    "ur": {
        "title": "گھر اور اسکول کا معاہدہ",
        "introduction": (
            "بچے سب سے اچھا تب کرتے ہیں جب گھر اور اسکول مل کر کام کریں۔ یہ معاہدہ بتاتا ہے "
            "کہ اسکول، آپ کے بچے کے اساتذہ، آپ اور آپ کا بچہ کن باتوں کا عہد کرتے ہیں، تاکہ "
            "ہوم ورک فائدہ مند ہو اور مکمل کیا جائے۔ براہ کرم اسے اپنے بچے کے ساتھ پڑھیں۔\n"
            "اس پر دستخط کرنا آپ کی مرضی ہے: یہ کبھی کسی چیز کی شرط نہیں، اور اگر آپ دستخط نہ "
            "کریں تو آپ یا آپ کے بچے کے ساتھ کچھ نہیں ہوگا۔"
        ),
        "school_commitments": "\n".join(
            [
                "ہوم ورک کی اپنی پالیسی ایسی جگہ شائع کرے گا جہاں آپ اسے آسانی سے دیکھ سکیں، "
                "اور بتائے گا کہ ہر سال میں کتنا ہوم ورک متوقع ہے۔",
                "آپ کے بچے کی پیش رفت کے بارے میں آپ سے باقاعدہ رابطے میں رہے گا، صرف اس وقت "
                "نہیں جب کچھ غلط ہو جائے۔",
                "چھوٹے ہوئے ہوم ورک، ڈیٹینشن اور ملاقاتوں کے بارے میں آپ کو فوراً، آپ کی پسند "
                "کی زبان میں، بتائے گا۔",
                "آپ کے پیغامات کا جواب تین اسکولی دنوں کے اندر دے گا۔",
                "جن طلبہ کو کام کرنے کے لیے پرسکون جگہ چاہیے، ان کے لیے کمپیوٹرز اور مدد کرنے "
                "والے عملے کے ساتھ ہوم ورک کلب چلائے گا۔",
                "گھر پر پڑھائی میں مدد کرنے کے بارے میں سیشن اور رہنمائی پیش کرے گا۔",
                "آپ کی رائے پوچھے گا، اور بتائے گا کہ ہم نے اس پر کیا کیا۔",
            ]
        ),
        "teacher_commitments": "\n".join(
            [
                "اعلیٰ معیار کا ہوم ورک دیں گے جو آپ کے بچے کو آگے بڑھنے میں مدد دے، واضح "
                "ہدایات اور اس اندازے کے ساتھ کہ اس میں کتنا وقت لگنا چاہیے۔",
                "اسکول کی پالیسی کے مطابق ہوم ورک دیں گے، تاکہ پورے ہفتے میں کام کا بوجھ "
                "منصفانہ رہے۔",
                "جن طلبہ کو ضرورت ہو، انہیں زیادہ مدد والا ورژن دیں گے۔",
                "ہوم ورک چیک کریں گے اور ایسی رائے دیں گے جس پر آپ کا بچہ عمل کر سکے۔",
                "اگر آپ کے بچے کو مشکل ہو رہی ہو یا ہوم ورک چھوٹ رہا ہو تو جلد رابطہ کریں گے۔",
            ]
        ),
        "parent_commitments": "\n".join(
            [
                "یقینی بنائیں گے کہ ہوم ورک مکمل ہو، بہتر ہے کہ دوسری سرگرمیوں سے پہلے۔",
                "اپنے بچے کو کام کے لیے پرسکون وقت اور جگہ دیں گے، یا اسے ہوم ورک کلب جانے کی "
                "ترغیب دیں گے۔",
                "ہر ہفتے اپنے بچے کا ہوم ورک دیکھیں گے اور آن لائن ہفتے کی تصدیق کریں گے۔",
                "اسکول سے رابطے میں رہیں گے: ہمارے پیغامات پڑھیں گے، بلائے جانے پر ملاقاتوں میں "
                "آئیں گے، اور ہمیں ہر اس بات سے آگاہ کریں گے جو آپ کے بچے کی پڑھائی پر اثر "
                "ڈالے۔",
                "اپنے بچے سے اس کے بارے میں بات کریں گے جو وہ سیکھ رہا ہے، اور پڑھنے کی حوصلہ "
                "افزائی کریں گے۔",
                "عملے کے ساتھ بات چیت میں احترام برقرار رکھیں گے، جیسے ہم آپ کے ساتھ رکھیں گے۔",
            ]
        ),
        "pupil_commitments": "\n".join(
            [
                "ہر روز اپنا پلانر دیکھنا اور معلوم رکھنا کہ کون سا ہوم ورک کب جمع کرانا ہے۔",
                "اپنا ہوم ورک وقت پر اور اپنی بہترین صلاحیت کے ساتھ کرنا۔",
                "اگر سمجھ نہ آئے تو جلد اپنے استاد سے مدد مانگنا، یا ہوم ورک کلب جانا۔",
                "اپنے اساتذہ کی رائے پڑھنا اور اسے بہتری کے لیے استعمال کرنا۔",
                "اپنے والدین یا سرپرستوں کو اپنے ہوم ورک اور اپنی پڑھائی کے بارے میں بتانا۔",
            ]
        ),
    },
}
