"""Names and places the demo school draws from (all invented or common; contact details
reach nobody real), and how a name is spelt for a woman or girl and in an email address."""

import unicodedata

SCHOOL_NAMES = [
    "Northfield Academy",
    "Riverside Academy",
    "Hillcrest Academy",
    "Oakwood Academy",
    "Meadowbank Academy",
    "Kingsway Academy",
    "Canalside Academy",
    "Parkside Academy",
    "Eastgate Academy",
    "Westbrook Academy",
    "Millbrook Academy",
    "Stonebridge Academy",
    "Ashfield Academy",
    "Brookvale Academy",
    "Longford Academy",
    "Foxhill Academy",
    "Elmwood Academy",
    "Beacon Academy",
    "Harbour Academy",
    "Wyvern Academy",
]

TRAVEL_NOTES = [
    "Takes the 16:10 school bus to Hillfields",
    "Takes the 16:10 school bus to Canal Side",
    "Catches the 15:50 number 12 bus to Eastgate; the next one is an hour later",
    "Collects a younger sibling from primary school at 15:30",
    "Local authority taxi leaves at 15:20",
    "Lives out of area; takes the 16:05 train to Millbrook",
]
STREETS = [
    "Albert Road",
    "Victoria Street",
    "Station Road",
    "Church Lane",
    "Queens Road",
    "Canal Street",
    "Park Avenue",
    "Stoney Lane",
    "Foleshill Road",
    "Moseley Road",
    "Jubilee Crescent",
    "Melbourne Road",
    "Alma Street",
    "Cedar Close",
    "Windmill Road",
    "Grange Road",
]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]

# Names, by background. Pupils, guardians and staff are drawn with different weights;
# `eal` weights the chance that a family speaks another language at home. A surname
# written "Kowalski/Kowalska" takes the second form for women and girls.
NAMES = {
    "white_british": {
        "pupils": 0.12,
        "staff": 0.46,
        "eal": 0.04,
        "girls": "Olivia Amelia Isla Ava Grace Freya Lily Ella Poppy Evie Sophie Chloe Ruby "
        "Holly Megan Ellie Millie Jessica",
        "boys": "Oliver George Harry Jack Charlie Thomas James Alfie Leo Oscar Jacob Joshua "
        "Callum Kieran Ryan Liam Tyler Connor Reece Lewis",
        "women": "Sarah Claire Emma Lisa Nicola Joanne Rebecca Kelly Gemma Donna Helen Rachel "
        "Louise Amy Katie",
        "men": "Mark Paul Daniel Lee Stephen Craig Gary Andrew Richard Wayne Matthew David "
        "Jonathan Simon Christopher",
        "surnames": "Smith Jones Taylor Brown Wilson Evans Walker Wright Robinson Thompson "
        "Hughes Green Hall Wood Clarke Jackson Harris Turner Cooper Hill Ward Morris Baker "
        "O'Connor Murphy Kelly Davies",
    },
    "caribbean": {
        "pupils": 0.06,
        "staff": 0.07,
        "eal": 0.15,
        "girls": "Jada Shanice Tia Keisha Aaliyah Nia Imani Maya Kiara Leah",
        "boys": "Jayden Tyrese Marcus Kai Isaiah Malachi Elijah Jerome Andre Nathaniel",
        "women": "Marcia Donna Simone Charmaine Sonia Paulette Andrea Jacqueline",
        "men": "Delroy Winston Leroy Errol Clive Trevor Desmond Dwayne",
        "surnames": "Campbell Williams Brown Clarke Francis Grant Lewis Thomas Reid Bailey "
        "Edwards Powell Samuels Douglas",
    },
    "pakistani": {
        "pupils": 0.16,
        "staff": 0.1,
        "eal": 1.0,
        "girls": "Aisha Maryam Zainab Hafsa Iqra Amna Mahnoor Hira Khadija Sana Anaya Eman "
        "Alishba Noor",
        "boys": "Muhammad Ibrahim Yusuf Hamza Zain Ali Bilal Usman Hassan Ayaan Rayyan Haris "
        "Umar Adam",
        "women": "Nasreen Shazia Rubina Samina Farzana Nadia Saima Uzma Rehana",
        "men": "Tariq Imran Asif Khalid Zahid Naveed Shahid Amjad Waqar",
        "surnames": "Khan Hussain Ahmed Ali Iqbal Akhtar Mahmood Rashid Shah Butt Malik Aslam "
        "Javed Raza Qureshi",
    },
    "bangladeshi": {
        "pupils": 0.1,
        "staff": 0.05,
        "eal": 1.0,
        "girls": "Fatima Sumaiya Tasnim Nusrat Jannat Tahmina Maisha Sadia Ayesha Rumana",
        "boys": "Abdul Rahim Tahmid Arif Sami Rayhan Mahir Tanvir Shakil Nayeem",
        "women": "Rokeya Shahida Salma Nazma Rehana Shirin Jahanara",
        "men": "Shahid Mizanur Jamal Anwar Kamal Faruk Habibur",
        "surnames": "Uddin Miah/Begum Rahman Islam Chowdhury Hoque Ahmed Alam Karim Hossain",
    },
    "indian": {
        "pupils": 0.07,
        "staff": 0.1,
        "eal": 0.9,
        "girls": "Priya Anjali Diya Riya Simran Harleen Kavya Aanya Shreya Navneet Jasleen",
        "boys": "Arjun Rohan Aarav Dev Karan Vikram Jaspreet Ravi Ishaan Harjot Kabir",
        "women": "Sunita Meena Rajinder Parminder Kiran Asha Nisha Pooja",
        "men": "Sanjay Rajesh Sukhwinder Manjit Ashok Vijay Deepak Harpreet",
        "surnames": "Patel Singh/Kaur Sharma Gill Sandhu Mistry Chauhan Kumar Parmar Nair "
        "Bains Dhillon",
    },
    "polish": {
        "pupils": 0.09,
        "staff": 0.04,
        "eal": 1.0,
        "girls": "Zuzanna Julia Maja Zofia Hanna Lena Oliwia Wiktoria Natalia Alicja",
        "boys": "Jakub Kacper Szymon Filip Jan Antoni Mateusz Michał Wojciech Dawid",
        "women": "Agnieszka Katarzyna Magdalena Joanna Anna Monika Ewa Marta",
        "men": "Tomasz Piotr Krzysztof Marcin Paweł Łukasz Grzegorz Adam",
        "surnames": "Nowak Kowalski/Kowalska Wiśniewski/Wiśniewska Wójcik Kamiński/Kamińska "
        "Lewandowski/Lewandowska Zieliński/Zielińska Mazur Krawczyk Kaczmarek Dąbrowski/"
        "Dąbrowska Szymański/Szymańska",
    },
    "romanian": {
        "pupils": 0.06,
        "staff": 0.01,
        "eal": 1.0,
        "girls": "Andreea Ioana Maria Elena Alexandra Bianca Denisa Larisa",
        "boys": "Andrei Alexandru Ionuț Mihai Gabriel Ștefan Darius Rareș",
        "women": "Mihaela Cristina Daniela Florentina Adriana Gabriela",
        "men": "Florin Bogdan Vasile Marius Cătălin Constantin",
        "surnames": "Popescu Ionescu Popa Dumitru Stan Munteanu Constantin Stoica Rusu Matei",
    },
    "somali": {
        "pupils": 0.08,
        "staff": 0.02,
        "eal": 1.0,
        "own_surname": True,
        "girls": "Hodan Ayaan Sagal Hibo Filsan Nasra Ifrah Deeqa Ikran Hamdi",
        "boys": "Abdirahman Mohamed Abdullahi Hassan Said Liban Mustafe Abdirahim Zakariye Bashir",
        "women": "Amina Faduma Hawa Sahra Maryan Asha Halima",
        "men": "Abdi Ahmed Mahad Yusuf Omar Abdikarim Ismail",
        "surnames": "Ali Farah Warsame Osman Abdi Jama Hussein Nur Mohamud Hersi Aden Egal",
    },
    "nigerian": {
        "pupils": 0.07,
        "staff": 0.06,
        "eal": 0.8,
        "girls": "Chiamaka Adaeze Temi Ifeoma Funmilayo Blessing Precious Tolu Oluwatobi Chidinma",
        "boys": "Chinedu Oluwaseun Tobi Emeka David Daniel Ayomide Tunde Kelechi Samuel",
        "women": "Ngozi Grace Folake Chioma Bukola Funke Adaora Yetunde",
        "men": "Chukwuemeka Babatunde Olumide Ifeanyi Segun Obinna Emmanuel Kunle",
        "surnames": "Okafor Adeyemi Okonkwo Adebayo Eze Olawale Nwosu Ogunleye Balogun Obi "
        "Afolabi Uche",
    },
    "ghanaian": {
        "pupils": 0.04,
        "staff": 0.02,
        "eal": 0.8,
        "girls": "Abena Akosua Efua Adwoa Esi Akua Yaa",
        "boys": "Kwame Kofi Kwabena Yaw Kojo Kwesi Nana",
        "women": "Ama Akua Comfort Gifty Afua",
        "men": "Kwaku Kwesi Emmanuel Kofi Ebenezer",
        "surnames": "Mensah Owusu Boateng Asante Osei Appiah Addo Darko",
    },
    "arabic": {
        "pupils": 0.08,
        "staff": 0.03,
        "eal": 1.0,
        "own_surname": True,
        "girls": "Layla Mariam Huda Rania Salma Yasmin Amira Lina Jana Rahaf",
        "boys": "Omar Ahmad Khalid Youssef Karim Tariq Mustafa Ammar Zaid Hamoudi",
        "women": "Rasha Hanan Samira Dalia Reem Nour Wafa",
        "men": "Walid Hassan Faisal Majid Samir Bassam Nabil",
        "surnames": "Al-Hassan Haddad Mansour Saleh Al-Sayed Nasser Khalil Hamdan Darwish "
        "Abdullah Al-Masri Said",
    },
    "afghan_kurdish": {
        "pupils": 0.04,
        "staff": 0.01,
        "eal": 1.0,
        "own_surname": True,
        "girls": "Zahra Mahsa Shirin Roya Parisa Hasti Dilan",
        "boys": "Mohammad Farhad Arman Sina Rebin Aram Idris",
        "women": "Fereshteh Gulalai Nasrin Shilan Soraya",
        "men": "Rahmatullah Karwan Dawood Hemin Jawad",
        "surnames": "Ahmadi Karimi Rahimi Hosseini Sultani Mohammadi Rasul Aziz",
    },
    "east_asian": {
        "pupils": 0.03,
        "staff": 0.03,
        "eal": 1.0,
        "own_surname": True,
        "girls": "Linh Mai Anh Mei Jia Ngoc Yuki",
        "boys": "Minh Duc Wei Jun Bao Hao Kenji",
        "women": "Thu Hoa Li Yan Hong",
        "men": "Quang Tuan Jian Feng Hung",
        "surnames": "Nguyen Tran Le Pham Chen Wang Li Zhang Huang",
    },
}
NAMES = {
    key: {k: (v.split() if isinstance(v, str) else v) for k, v in value.items()}
    for key, value in NAMES.items()
}


def gendered(surname, female):
    if "/" not in surname:
        return surname
    male, woman = surname.split("/")
    return woman if female else male


_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "đ": "d"})


def ascii_letters(text):
    """Lower-case ASCII letters only, for email addresses."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")
