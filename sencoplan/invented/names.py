"""Invented names, drawn from the mix of heritages in an English town.

No name is a real child's or adult's on purpose; the few well-known people a random draw
could make are never used.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class NameGroup:
    """Forenames of children, of adults, and surnames, each a comma-separated list."""

    weight: float
    children_text: str
    adults_text: str
    surnames_text: str

    @cached_property
    def children(self) -> list[str]:
        return self.children_text.split(", ")

    @cached_property
    def adults(self) -> list[str]:
        return self.adults_text.split(", ")

    @cached_property
    def surnames(self) -> list[str]:
        return self.surnames_text.split(", ")


NAME_GROUPS: tuple[NameGroup, ...] = (
    NameGroup(
        45,
        "Oliver, Amelia, Noah, Isla, Leo, Freya, Arthur, Lily, George, Olivia, Harry, Sophia, "
        "Jack, Grace, Theo, Mia, Oscar, Evie, Alfie, Poppy, Jacob, Ivy, Hannah, Samuel, Ruby, "
        "Joshua, Daisy, Ethan, Phoebe, Reuben, Esme, Ezra, Rosie, Finley, Matilda, Zoë, Harvey, "
        "Florence, Toby, Willow, Max, Elsie, Charlie, Imogen",
        "Sarah, Claire, Rebecca, David, Mark, Helen, Joanne, Paul, Emma, James, Laura, Richard, "
        "Nicola, Stephen, Katie, Andrew, Louise, Michael, Gemma, Daniel, Rachel, Thomas, Victoria, "
        "Simon, Lucy, Chris, Hayley, Matthew, Jenny, Peter, Zoë, Sophie, Adam, Kerry",
        "Smith, Taylor, Brown, Wilson, Johnson, Robinson, Wright, Thompson, Walker, White, "
        "Roberts, Green, Hall, Wood, Jackson, Clarke, Baker, Turner, Hill, Cooper, Ward, Harrison, "
        "Marsh, Fletcher, Barker, Holloway, Pearce, Whitfield, Ashworth, Kendall, Lowe, Hartley, "
        "Shaw, Bennett, Gibson, Chapman, Fox, Palmer, Sutton, Rowe",
    ),  # English
    NameGroup(
        4,
        "Siobhán, Niamh, Aoife, Cian, Oisín, Seán, Róisín, Ciarán, Orla, Conor, Saoirse",
        "Siobhán, Ciara, Declan, Sinéad, Eamon, Aileen, Brendan, Gráinne",
        "O'Connor, O'Brien, O'Neill, Murphy, Kelly, Byrne, Doyle, Ó Ceallaigh, Gallagher, McKenna",
    ),  # Irish
    NameGroup(
        2.5,
        "Eilidh, Callum, Ewan, Mhairi, Lachlan, Isla, Rory, Kirsty",
        "Alasdair, Fiona, Catriona, Hamish, Morag, Iain",
        "MacDonald, Fraser, Stewart, Mackenzie, McLaughlin, Campbell, Murray, Robertson",
    ),  # Scottish
    NameGroup(
        2.5,
        "Ffion, Rhys, Cerys, Dylan, Carys, Gethin, Seren, Osian",
        "Gareth, Bronwen, Rhian, Owen, Siân, Dafydd, Nia",
        "Llewellyn, Pritchard, Davies, Evans, Hughes, Morgan, Powell, Griffiths",
    ),  # Welsh
    NameGroup(
        8,
        "Muhammad, Aisha, Maryam, Yusuf, Zainab, Ibrahim, Hafsa, Ayaan, Inaya, Hamza, Fatima, "
        "Idris, Safiya, Zara, Mehreen, Rayan, Amira, Musa, Aleena",
        "Imran, Nadia, Farah, Shabana, Asif, Rukhsana, Saima, Tariq, Naveed, Aisha, Nasreen",
        "Khan, Ahmed, Hussain, Ali, Shah, Chowdhury, Rahman, Islam, Iqbal, Malik, Akhtar, "
        "Uddin, Mahmood",
    ),  # Pakistani and Bangladeshi
    NameGroup(
        5,
        "Arjun, Priya, Rohan, Anaya, Dev, Simran, Harpreet, Gurleen, Aarav, Ishaan, Kabir, Anika, "
        "Vihaan, Jasleen",
        "Sanjay, Priya, Rajesh, Meera, Harjit, Vikram, Anjali, Sunita, Manpreet",
        "Patel, Singh, Sharma, Mistry, Gill, Sandhu, Joshi, Parmar, Chauhan, Dhillon",
    ),  # Indian
    NameGroup(
        1,
        "Ryan, Sara, Joel, Tanya, Alisha, Aaron",
        "Agnelo, Sonia, Francis, Lydia",
        "D'Souza, D'Silva, Fernandes, Rodrigues, D'Costa",
    ),  # Goan
    NameGroup(
        6,
        "Kwame, Ama, Kofi, Adaeze, Chidi, Tobi, Ngozi, Femi, Kemi, Tayo, Chioma, Amara, Esi, Yaw",
        "Adeola, Kwabena, Chinwe, Yetunde, Olu, Abena, Tunde, Emeka, Funmi",
        "Okafor, Adeyemi, Mensah, Boateng, Owusu, Nwosu, Adebayo, Okoro, Asante, Oduya, Osei, Eze",
    ),  # West African
    NameGroup(
        4,
        "Nia, Malachi, Shanice, Jayden, Tia, Kai, Zion, Jerome, Aaliyah, Marcus, Ebony, Elijah, "
        "Tyrese",
        "Marcia, Delroy, Sharon, Winston, Bernice, Janelle, Carlton, Paulette",
        "Campbell, Francis, Grant, Reid, Lewis, Bailey, Edwards, Clarke, Thomas, Williams",
    ),  # Caribbean
    NameGroup(
        4,
        "Łukasz, Zofia, Kacper, Wiktoria, Jakub, Maja, Antoni, Zuzanna, Oliwia, Lena, Szymon",
        "Agnieszka, Tomasz, Magdalena, Piotr, Katarzyna, Ewa, Paweł",
        "Nowak, Kowalczyk, Wójcik, Kaczmarek, Mazur, Krawczyk, Woźniak, Sikora",
    ),  # Polish
    NameGroup(
        2,
        "Andrei, Ioana, Mihai, Alexandra, Darius, Maria, Ștefan",
        "Elena, Radu, Bogdan, Marius, Cristina",
        "Popescu, Ionescu, Dumitru, Stan, Constantin",
    ),  # Romanian
    NameGroup(
        1.5,
        "Mateus, Inês, João, Beatriz, Tomás, Leonor",
        "Ana, Miguel, Carla, Luís",
        "Silva, Santos, Costa, Ferreira, Oliveira",
    ),  # Portuguese
    NameGroup(
        0.7,
        "Sofía, Mateo, Lucía, Alejandro, Martina",
        "Isabel, Javier, Carmen",
        "García, Martínez, López, Fernández",
    ),  # Spanish
    NameGroup(
        0.7,
        "Luca, Giulia, Matteo, Chiara",
        "Marco, Francesca, Paolo",
        "Romano, Esposito, Conti, Ricci",
    ),  # Italian
    NameGroup(
        0.6,
        "Chloé, Renée, Noémie, Amélie, Hugo, Théo",
        "Hélène, Stéphane, Aurélie",
        "Dubois, Lefèvre, Moreau, Girard",
    ),  # French
    NameGroup(
        1.5,
        "Yiğit, Elif, Emre, Zeynep, Eymen, Defne",
        "Ayşe, Mehmet, Kübra, Murat",
        "Yılmaz, Demir, Kaya, Öztürk, Çelik",
    ),  # Turkish
    NameGroup(
        1.5,
        "Abdirahman, Hodan, Mohamed, Ayaan, Omar, Hibo, Ilhan, Sagal",
        "Hodan, Abdi, Mariam, Hassan, Faduma",
        "Abdi, Mohamed, Warsame, Jama, Hassan, Farah",
    ),  # Somali
    NameGroup(
        1.5,
        "Wei, Mei, Hao, Jia, Ethan, Chloe, Ryan, Jasmine",
        "Li, Kenny, Grace, Ming",
        "Chen, Wang, Li, Zhang, Liu, Wong, Cheung, Lam",
    ),  # Chinese
    NameGroup(
        0.5,
        "Minh, Linh, Bao, An, Khoa",
        "Huong, Tuan, Thuy",
        "Nguyen, Tran, Le, Pham",
    ),  # Vietnamese
)


_CUMULATIVE = list(itertools.accumulate(group.weight for group in NAME_GROUPS))


def pick_group(rng: random.Random) -> NameGroup:
    """A group in proportion to its weight (the same draw as choices with weights)."""
    return rng.choices(NAME_GROUPS, cum_weights=_CUMULATIVE)[0]


# fmt: off
FAMOUS = frozenset((
    "Sinéad O'Connor", "Tariq Ali", "Imran Khan", "Mohamed Farah", "George Harrison",
    "Adam Smith", "Peter Green", "Harry Hill", "Charlie Brown", "Jack Johnson", "Jack White",
    "Ruby Turner", "Mark Wright", "Peter Wright", "Matthew Wright", "Gareth Evans",
    "Dylan Thomas", "Elijah Wood", "Rory Stewart", "Alasdair Campbell", "Róisín Murphy",
    "Michael Jackson", "Paul Walker", "Chris Brown", "James Brown", "Emma Thompson",
    "Katie Taylor", "James Taylor", "Victoria Wood", "Rebecca Hall", "Peter Hall",
    "Sophie Turner", "James Fox", "Michael Fox", "Paul Smith", "Chris Smith", "Rachel Johnson",
    "Samuel Johnson", "Thomas Cooper", "Mark Williams", "Ryan Wong",
))
# fmt: on
"""Names of well-known people that the random draw could make: never used."""


def child_name(rng: random.Random) -> tuple[str, str]:
    """(forename, surname); now and then the two come from different groups."""
    while True:
        first, last = pick_group(rng), pick_group(rng) if rng.random() < 0.08 else None
        forename, surname = rng.choice(first.children), rng.choice((last or first).surnames)
        if f"{forename} {surname}" not in FAMOUS:
            return forename, surname


def adult_name(rng: random.Random) -> str:
    while True:
        first, last = pick_group(rng), pick_group(rng) if rng.random() < 0.06 else None
        name = f"{rng.choice(first.adults)} {rng.choice((last or first).surnames)}"
        if name not in FAMOUS:
            return name


def ascii_fold(text: str) -> str:
    """'Łukasz Ó Ceallaigh' -> 'lukasz o ceallaigh', for email addresses."""
    text = text.replace("Ł", "L").replace("ł", "l").replace("ı", "i")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z ]", "", folded.lower())


def email_local(name: str) -> str:
    """The part of a school email address before the @: 'Siobhán Ó Ceallaigh' -> 's.oceallaigh'."""
    first, *rest = ascii_fold(name).split()
    return f"{first[0]}.{''.join(rest)}"
