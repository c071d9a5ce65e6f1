"""Names and places for the demo school: a diverse English town, names consistent with heritage.

Every list is invented-realistic; no entry is a real person. Contact details use ranges reserved
for fiction (Ofcom drama numbers, the .example top-level domain) so a demo can never text or
email a real family.
"""

# (ethnicity code, weight in the town, chance of EAL). Weights are roughly a West Midlands
# town's school census; EAL chances are tuned so the school lands near 18% EAL.
ETHNICITIES: list[tuple[str, float, float]] = [
    ("WBRI", 60.0, 0.004),
    ("WIRI", 1.5, 0.01),
    ("WIRT", 0.3, 0.05),
    ("WROM", 0.5, 0.7),
    ("WOTH", 8.0, 0.66),  # mostly Polish and Romanian families
    ("MWBC", 3.0, 0.01),
    ("MWBA", 1.0, 0.15),
    ("MWAS", 1.5, 0.2),
    ("MOTH", 1.5, 0.25),
    ("AIND", 4.0, 0.45),
    ("APKN", 7.0, 0.6),
    ("ABAN", 2.5, 0.7),
    ("AOTH", 1.0, 0.5),
    ("BAFR", 3.5, 0.45),
    ("BCRB", 1.5, 0.02),
    ("BOTH", 0.5, 0.3),
    ("CHNE", 0.8, 0.5),
    ("OOTH", 1.5, 0.7),
    ("REFU", 0.6, 0.05),
    ("NOBT", 0.3, 0.1),
]

# Heritage name pools: boys' first names, girls' first names, surnames.
BRITISH = (
    "Oliver Jack Harry Jacob Charlie Thomas George Oscar James William Noah Alfie Joshua Leo "
    "Archie Ethan Isaac Riley Henry Finley Lucas Max Freddie Harrison Mason Logan Dylan Theo "
    "Alexander Benjamin Samuel Daniel Joseph Matthew Edward Frederick Charles Tyler Kyle Connor "
    "Liam Callum Lewis Reece Jake Ryan Ben Luke Owen Toby Louie Rory Jenson Brandon Kayden",
    "Amelia Olivia Isla Emily Poppy Ava Isabella Jessica Lily Sophie Grace Sophia Mia Evie Ruby "
    "Ella Scarlett Isabelle Chloe Sienna Freya Phoebe Charlotte Daisy Alice Florence Eva Millie "
    "Lucy Holly Megan Ellie Hannah Lacey Leah Rebecca Abigail Eleanor Katherine Elizabeth "
    "Victoria Gabriella Amber Imogen Harriet Niamh Paige Kayla Summer Maisie Erin Libby Layla",
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Harris Lewis Turner Hill Cooper Ward "
    "Morris Moore King Baker Edwards Hughes Price Cox Bennett Shaw Bailey Carter Mitchell "
    "Parker Phillips Marshall Richardson Griffiths Lloyd Harrison Kennedy Holmes Fletcher "
    "Dixon Barnes Chapman Pearson Webb Ellis Hunt Palmer Mills Rogers Simpson Foster Butler "
    "Watson Lee Stevens Jenkins Hayes Knight Russell Payne Hudson Gibbs Lowe Bradley Spencer",
)
IRISH = (
    "Cian Oisin Conor Sean Liam Padraig Darragh Eoin Ronan Niall Cillian Fionn Declan Tadhg",
    "Ciara Aoife Niamh Saoirse Siobhan Roisin Caoimhe Orla Sinead Aisling Clodagh Eimear Grainne",
    "Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor Doyle McCarthy Gallagher "
    "Quinn Brennan Flynn Kavanagh McDonagh Donnelly Fitzgerald",
)
TRAVELLER = (
    "Patrick John Michael Martin Jimmy Tommy",
    "Bridget Mary Margaret Kathleen Nora Ellen",
    "McDonagh Ward Joyce Maughan Sweeney Connors",
)
POLISH = (
    "Jakub Kacper Szymon Filip Mateusz Bartosz Wojciech Piotr Michal Antoni Igor Oskar Dawid",
    "Zofia Zuzanna Julia Maja Hanna Aleksandra Natalia Wiktoria Oliwia Amelia Lena Gabriela",
    "Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski "
    "Wozniak Dabrowski Kozlowski Jankowski Mazur Krawczyk Piotrowski Grabowski",
)
ROMANIAN = (
    "Andrei Alexandru Ionut Mihai Stefan Gabriel Darius Luca Matei Vlad Razvan Cristian",
    "Ioana Maria Andreea Elena Alexandra Bianca Daria Sofia Antonia Larisa Denisa Roxana",
    "Popescu Ionescu Popa Dumitru Stan Munteanu Constantin Stoica Gheorghe Rusu Lazar Marin",
)
ROMA = (
    "Marian Florin Costel Adrian Ionel Sorin",
    "Florentina Mirela Georgiana Lavinia Roxana Violeta",
    "Lacatus Rostas Caldarar Stoian Varga Balogh",
)
INDIAN = (
    "Arjun Rohan Aarav Dev Krish Vikram Harjit Gurpreet Jaskaran Aryan Ishaan Kiran Nikhil "
    "Rajveer Sahil Manveer",
    "Priya Anaya Diya Kavya Riya Simran Jaspreet Harleen Navneet Aanya Ishani Meera Pooja "
    "Amrit Sukhpreet Tara",
    "Patel Sharma Singh Gill Sandhu Mistry Shah Gupta Sidhu Dhillon Kaur Chauhan Parmar Joshi "
    "Bains Sohal",
)
PAKISTANI = (
    "Muhammad Ibrahim Yusuf Hamza Zayn Ali Bilal Adam Haris Rayyan Umar Hassan Zakariya "
    "Musa Idris Ayaan Saif",
    "Aisha Maryam Fatima Zainab Hafsa Amna Inaya Khadija Mariam Zara Aleena Hania Eman "
    "Safa Alishba Manahil",
    "Khan Hussain Ahmed Ali Iqbal Akhtar Mahmood Butt Rashid Shah Malik Bashir Anwar Aslam "
    "Javed Riaz Raza Qureshi",
)
BANGLADESHI = (
    "Abdul Rahim Sami Tahmid Farhan Rayan Ayaan Sabbir Tanvir Arafat Imran Nabil",
    "Nusrat Sumaiya Tahmina Anika Raisa Sadia Nadia Jannat Afia Lamia Sabrina Tasnim",
    "Miah Uddin Rahman Islam Hoque Ali Chowdhury Ahmed Begum Khatun Hossain Sarker",
)
BLACK_AFRICAN = (
    "Chidi Tobi Emeka Kwame Kofi David Daniel Samuel Abdi Mohamed Tunde Femi Kelechi Jesse "
    "Joshua Emmanuel Nathaniel Divine",
    "Adaeze Chioma Amara Esi Ama Blessing Precious Favour Hodan Ayan Tolu Zainab Grace "
    "Abena Nneka Deborah Jemima Ruth",
    "Okafor Adeyemi Okoro Mensah Boateng Asante Osei Adebayo Abdi Mohamed Hassan Nwosu "
    "Eze Oyelaran Owusu Danso Farah Ogunleye",
)
CARIBBEAN = (
    "Tyrese Jermaine Kai Malachi Isaiah Jaden Marcus Andre Nathan Reuben Elijah Jordan",
    "Aaliyah Kiara Shanice Jada Tia Nia Keisha Amani Jasmine Imani Renee Naomi",
    "Campbell Brown Williams Thomas Grant Clarke Francis Morgan Johnson Henry Reid Bailey "
    "Gordon Richards",
)
CHINESE = (
    "Wei Jun Hao Kevin Ethan Jason Zihan Yifan Ryan Tony Haoran Eric",
    "Mei Ling Xin Grace Chloe Emily Yutong Jessica Zoe Vivian Ruoxi Angela",
    "Chen Wang Li Zhang Liu Wong Cheung Lam Ho Yang Huang Zhou",
)
OTHER_ASIAN = (
    "Prakash Suman Bikash Nimal Ashan Joel Miguel Carlo Rajan Dinesh",
    "Sunita Anjali Nirmala Dilani Tharushi Maria Angelica Kristine Sita Nisha",
    "Gurung Thapa Rai Limbu Perera Fernando Silva Santos Reyes Cruz Tamang Jayasuriya",
)
OTHER = (
    "Omar Karim Ahmad Mustafa Yasin Dilan Rawand Hamid Sina Aram",
    "Layla Noor Rania Hana Shirin Zahra Rozhin Parisa Darya Yasmin",
    "Hassan Ahmadi Rahimi Karimi Mahmoud Aziz Mohammadi Hosseini Abdullah Rashid Saleh",
)
OTHER_BLACK = (
    "Yonas Dawit Samuel Abel Mamadou Moussa",
    "Hanna Selam Aminata Fatou Mariama Ruth",
    "Tesfaye Haile Diallo Kamara Bangura Sesay",
)

HERITAGE = {
    "british": BRITISH,
    "irish": IRISH,
    "traveller": TRAVELLER,
    "polish": POLISH,
    "romanian": ROMANIAN,
    "roma": ROMA,
    "indian": INDIAN,
    "pakistani": PAKISTANI,
    "bangladeshi": BANGLADESHI,
    "black_african": BLACK_AFRICAN,
    "caribbean": CARIBBEAN,
    "chinese": CHINESE,
    "other_asian": OTHER_ASIAN,
    "other": OTHER,
    "other_black": OTHER_BLACK,
}

# Which heritage pools a family of each ethnicity draws from: (father's, mother's) pools.
# Mixed heritage families draw one parent from each; the child's first name from either.
ETHNICITY_HERITAGE: dict[str, list[tuple[str, str]]] = {
    "WBRI": [("british", "british")],
    "WIRI": [("irish", "irish"), ("irish", "british")],
    "WIRT": [("traveller", "traveller")],
    "WROM": [("roma", "roma")],
    "WOTH": [("polish", "polish")] * 3 + [("romanian", "romanian")] * 2,
    "MWBC": [("caribbean", "british"), ("british", "caribbean")],
    "MWBA": [("black_african", "british"), ("british", "black_african")],
    "MWAS": [("indian", "british"), ("pakistani", "british"), ("british", "chinese")],
    "MOTH": [("other", "british"), ("british", "polish"), ("caribbean", "indian")],
    "AIND": [("indian", "indian")],
    "APKN": [("pakistani", "pakistani")],
    "ABAN": [("bangladeshi", "bangladeshi")],
    "AOTH": [("other_asian", "other_asian")],
    "BAFR": [("black_african", "black_african")],
    "BCRB": [("caribbean", "caribbean")],
    "BOTH": [("other_black", "other_black")],
    "CHNE": [("chinese", "chinese")],
    "OOTH": [("other", "other")],
    "REFU": [("british", "british"), ("pakistani", "pakistani"), ("polish", "polish")],
    "NOBT": [("british", "british"), ("romanian", "romanian")],
}

# Parents' first names by heritage: (men, women). Parents were born in the 1970s–1980s.
PARENT_NAMES = {
    "british": (
        "Paul Mark David Andrew Richard Stephen Darren Lee Craig Jason Simon Gareth Wayne Neil "
        "Matthew Christopher Daniel Scott Carl Dean Ian Robert",
        "Sarah Claire Emma Nicola Lisa Rachel Kelly Joanne Michelle Gemma Laura Kerry Donna "
        "Helen Stacey Louise Victoria Jennifer Natalie Amy Leanne Hayley",
    ),
    "irish": ("Declan Kevin Brendan Sean Padraig Ciaran", "Siobhan Niamh Maeve Ciara Aine Deirdre"),
    "traveller": ("Patrick John Michael Martin", "Bridget Mary Margaret Kathleen"),
    "polish": (
        "Tomasz Pawel Marcin Krzysztof Piotr Lukasz",
        "Anna Katarzyna Agnieszka Monika Magdalena Joanna",
    ),
    "romanian": (
        "Ion Florin Marius Adrian Catalin Bogdan",
        "Mihaela Elena Alina Simona Cristina Daniela",
    ),
    "roma": ("Marian Costel Ionel Nicu", "Florica Mirela Lavinia Violeta"),
    "indian": (
        "Rajesh Sanjay Amit Harpreet Manjit Vijay Sunil",
        "Sunita Anita Rupinder Neha Kiran Parminder Reena",
    ),
    "pakistani": (
        "Imran Tariq Asif Nadeem Shahid Zahid Kamran",
        "Nasreen Shazia Saima Rubina Farzana Samina Uzma",
    ),
    "bangladeshi": (
        "Abdul Jamal Shahid Mohammed Kamal Nazrul",
        "Rokeya Shirin Salma Nazma Ruksana Shahana",
    ),
    "black_african": (
        "Olumide Kwabena Chukwuma Ibrahim Samuel Yaw",
        "Folasade Akosua Ngozi Amina Comfort Funmilayo",
    ),
    "caribbean": (
        "Delroy Winston Leroy Trevor Clive Errol",
        "Marcia Beverley Sonia Jacqueline Paulette Yvonne",
    ),
    "chinese": ("Wei Ming Jian Kenneth Raymond Tony", "Li Hua Yan Mei Winnie Karen"),
    "other_asian": ("Ram Suresh Nimal Jose Ramon", "Sita Kamala Chandra Rosa Maricel"),
    "other": ("Ahmad Karwan Reza Ali Samir Hussein", "Fatemeh Nasrin Leila Souad Maryam Huda"),
    "other_black": ("Tesfaye Mamadou Alie Yonas", "Almaz Fatmata Isatu Meseret"),
}


# Polish surnames change ending with gender.
def feminine_surname(surname: str, heritage: str) -> str:
    if heritage == "polish" and surname.endswith("ski"):
        return surname[:-1] + "a"
    return surname


# Everyday forms of legal first names (children in England answer to these).
PREFERRED = {
    "Alexander": "Alex",
    "Benjamin": "Ben",
    "Samuel": "Sam",
    "Thomas": "Tom",
    "Joshua": "Josh",
    "Matthew": "Matt",
    "Daniel": "Danny",
    "Jacob": "Jake",
    "Oliver": "Ollie",
    "Charles": "Charlie",
    "Frederick": "Freddie",
    "Edward": "Teddy",
    "William": "Will",
    "Joseph": "Joe",
    "Elizabeth": "Lizzie",
    "Katherine": "Katie",
    "Isabella": "Bella",
    "Olivia": "Liv",
    "Jessica": "Jess",
    "Rebecca": "Becky",
    "Victoria": "Tori",
    "Gabriella": "Gabby",
    "Abigail": "Abbie",
    "Eleanor": "Ellie",
    "Florence": "Flo",
    "Isabelle": "Izzy",
    "Aleksandra": "Ola",
    "Wojciech": "Wojtek",
    "Mateusz": "Matt",
    "Alexandru": "Alex",
    "Zihan": "Kevin",
    "Yutong": "Tina",
    "Haoran": "Harry",
    "Ruoxi": "Rosie",
    "Muhammad": "Mo",
    "Nathaniel": "Nate",
    "Emmanuel": "Manny",
    "Zakariya": "Zak",
    "Ibrahim": "Ibby",
}

STREETS = [
    "Hawthorn Road",
    "Beechwood Avenue",
    "Church Lane",
    "Mill Street",
    "Station Road",
    "Victoria Road",
    "Chapel Street",
    "Park Road",
    "Queens Drive",
    "Elm Grove",
    "Oakfield Road",
    "Ashcroft Close",
    "Willow Crescent",
    "Meadow Way",
    "Orchard Close",
    "Brookside",
    "Hollybank Road",
    "Windsor Avenue",
    "Albert Road",
    "Kingsway",
    "The Crescent",
    "Foxglove Drive",
    "Cedar Court",
    "Lark Rise",
    "Heathfield Road",
    "Longmoor Road",
    "Turves Green",
    "Cofton Grove",
    "Merritts Brook Lane",
    "Frankley Beeches Road",
    "Bunbury Road",
    "Innage Road",
    "Vineyard Road",
    "Woodlands Park Road",
    "Bell Holloway",
    "Hoggs Lane",
    "Egghill Lane",
    "Wychall Lane",
    "Quarry Lane",
    "Tessall Lane",
]
LOCALITIES = [
    "Northfield",
    "Longbridge",
    "West Heath",
    "Weoley Castle",
    "Kings Norton",
    "Rubery",
    "Frankley",
    "Bournville",
    "Selly Oak",
    "Rednal",
]
POSTCODE_DISTRICTS = ["B31", "B31", "B31", "B29", "B30", "B38", "B45"]
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # inward-code letters never use C I K M O V

EMAIL_DOMAINS = [
    "gmail.example",
    "hotmail.example",
    "outlook.example",
    "yahoo.example",
    "icloud.example",
    "btinternet.example",
]

STAFF_TITLES_WOMEN = ["Ms", "Mrs", "Mrs", "Miss", "Ms", "Mrs"]


def split(pool: str) -> list[str]:
    return pool.split()
