//! A deterministic vocabulary for the autocomplete benchmark: fandoms ("The Silver Crown
//! (TV)", "Night of Wolves - Ada Marlow"), characters ("First Last", disambiguated with a
//! fandom like AO3's "Spike (Buffy the Vampire Slayer)"), relationships ("A/B", "A & B"),
//! free tags of common words, Zipf-distributed uses, 40% canonical, and synonyms
//! (nicknames, portmanteaus, acronyms) for a tenth of the tags; and typed terms drawn from
//! the names the way people type them (the first 1–6 letters of any word, or of two words).

use std::collections::HashSet;

use tome_model::TagKind;
use tome_search::autocomplete::fold;
use tome_store::TagNameRow;

/// splitmix64: the same numbers on every machine and every version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index below `n` skewed to the front (popular things are picked more).
    pub fn skewed(&mut self, n: usize) -> usize {
        ((n as f64) * self.unit().powf(3.0)) as usize % n
    }

    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const FIRST: &[&str] = &[
    "Buffy",
    "Willow",
    "Xander",
    "Rupert",
    "Spike",
    "Faith",
    "Harry",
    "Hermione",
    "Ron",
    "Draco",
    "Severus",
    "Sirius",
    "Remus",
    "Ginny",
    "Luna",
    "Neville",
    "Sherlock",
    "John",
    "Mycroft",
    "Molly",
    "Dean",
    "Sam",
    "Castiel",
    "Bobby",
    "Jo",
    "Steve",
    "Tony",
    "Bucky",
    "Natasha",
    "Clint",
    "Bruce",
    "Thor",
    "Loki",
    "Peter",
    "Wanda",
    "Aziraphale",
    "Crowley",
    "Kirk",
    "Spock",
    "Leonard",
    "Nyota",
    "Jean-Luc",
    "Kathryn",
    "Zoë",
    "Mal",
    "Inara",
    "Kaylee",
    "River",
    "Simon",
    "Jayne",
    "Rose",
    "Martha",
    "Donna",
    "Amy",
    "Clara",
    "Rory",
    "Jack",
    "Ianto",
    "Gwen",
    "Owen",
    "Toshiko",
    "Elizabeth",
    "Fitzwilliam",
    "Jane",
    "Charles",
    "Emma",
    "Anne",
    "Frederick",
    "Geralt",
    "Yennefer",
    "Ciri",
    "Jaskier",
    "Arya",
    "Sansa",
    "Jon",
    "Daenerys",
    "Tyrion",
    "Jaime",
    "Brienne",
    "Cersei",
    "Katniss",
    "Peeta",
    "Gale",
    "Haymitch",
    "Frodo",
    "Samwise",
    "Aragorn",
    "Legolas",
    "Gimli",
    "Éowyn",
    "Faramir",
    "Boromir",
    "Naruto",
    "Sasuke",
    "Sakura",
    "Kakashi",
    "Levi",
    "Eren",
    "Mikasa",
    "Armin",
    "Erwin",
    "Hange",
    "Shouto",
    "Izuku",
    "Katsuki",
    "Lan",
    "Wei",
    "Jiang",
    "Nie",
    "Killua",
    "Gon",
    "Kurapika",
    "Björn",
    "Søren",
    "Renée",
    "José",
    "Chloé",
    "Ólafur",
    "Małgorzata",
    "Ángel",
];

const LAST: &[&str] = &[
    "Summers",
    "Rosenberg",
    "Harris",
    "Giles",
    "Lehane",
    "Potter",
    "Granger",
    "Weasley",
    "Malfoy",
    "Snape",
    "Black",
    "Lupin",
    "Lovegood",
    "Longbottom",
    "Holmes",
    "Watson",
    "Hooper",
    "Winchester",
    "Singer",
    "Rogers",
    "Stark",
    "Barnes",
    "Romanov",
    "Barton",
    "Banner",
    "Parker",
    "Maximoff",
    "McCoy",
    "Uhura",
    "Picard",
    "Janeway",
    "Washburne",
    "Reynolds",
    "Serra",
    "Frye",
    "Tam",
    "Cobb",
    "Tyler",
    "Jones",
    "Noble",
    "Pond",
    "Oswald",
    "Williams",
    "Harkness",
    "Jones",
    "Cooper",
    "Harper",
    "Sato",
    "Bennet",
    "Darcy",
    "Bingley",
    "Woodhouse",
    "Knightley",
    "Elliot",
    "Wentworth",
    "Everdeen",
    "Mellark",
    "Hawthorne",
    "Abernathy",
    "Baggins",
    "Gamgee",
    "Uzumaki",
    "Uchiha",
    "Haruno",
    "Hatake",
    "Ackerman",
    "Yeager",
    "Arlert",
    "Smith",
    "Zoe",
    "Todoroki",
    "Midoriya",
    "Bakugou",
    "Zhan",
    "Wuxian",
    "Cheng",
    "Huaisang",
    "Zoldyck",
    "Freecss",
    "Kurta",
    "Stark",
    "Lannister",
    "Targaryen",
    "Snow",
    "Tarth",
    "Ironwood",
    "Blackwater",
    "Ashdown",
    "Fairweather",
    "Thornfield",
    "Marlow",
    "Vance",
    "Okafor",
    "Nakamura",
    "Castellanos",
    "Lindqvist",
    "Dubois",
    "Novak",
    "Kowalski",
    "Müller",
    "Ørsted",
    "Nuñez",
    "García",
    "Ferreira",
    "Łukasik",
    "Şahin",
];

const SYLLABLES: &[&str] = &[
    "ka", "li", "ra", "mon", "tre", "vane", "el", "so", "dar", "wyn", "is", "ol", "ban", "thar",
    "quin", "mi", "ro", "sel", "ta", "vor", "an", "dri", "fen", "gal", "hel", "ja", "kor", "lu",
    "mar", "nor", "pel", "rin", "sha", "tor", "ul", "ves", "wen", "yar", "zel", "bri",
];

const ADJ: &[&str] = &[
    "Silver",
    "Golden",
    "Last",
    "Lost",
    "Hidden",
    "Broken",
    "Crimson",
    "Dark",
    "Bright",
    "Endless",
    "Secret",
    "Wild",
    "Quiet",
    "Burning",
    "Frozen",
    "Ancient",
    "Little",
    "Brave",
    "Hollow",
    "Iron",
    "Scarlet",
    "Midnight",
    "Eternal",
    "Fallen",
    "Rising",
    "Sleeping",
    "Wandering",
    "Starlit",
    "Shattered",
    "Gilded",
    "Forgotten",
    "Distant",
    "Haunted",
    "Royal",
];

const NOUN: &[&str] = &[
    "Crown",
    "Kingdom",
    "Wolves",
    "Night",
    "Sea",
    "Throne",
    "Garden",
    "City",
    "Empire",
    "Academy",
    "Detective",
    "Knight",
    "Dragon",
    "Witch",
    "Stars",
    "Storm",
    "River",
    "Tower",
    "Forest",
    "Heart",
    "Blade",
    "Shadow",
    "Moon",
    "Sun",
    "Fire",
    "Ice",
    "Song",
    "Dream",
    "Chronicles",
    "Legacy",
    "Saga",
    "Hunters",
    "Ghosts",
    "Runners",
    "Saints",
    "Sinners",
    "Circus",
    "Library",
    "Station",
    "Voyage",
    "Frontier",
    "Harbor",
    "Orchard",
    "Citadel",
];

const MEDIA: &[&str] = &[
    "(TV)",
    "(Movies)",
    "(Video Game)",
    "(Anime)",
    "(Manga)",
    "(Comics)",
    "(Podcast)",
    "(Cartoon)",
    "(Web Series)",
    "(Musical)",
    "(Band)",
];

const FREE: &[&str] = &[
    "Angst",
    "Fluff",
    "Hurt/Comfort",
    "Alternate Universe",
    "Canon Divergence",
    "Slow Burn",
    "Friends to Lovers",
    "Enemies to Lovers",
    "Happy Ending",
    "Humor",
    "Romance",
    "Smut",
    "Domestic",
    "First Kiss",
    "Pining",
    "Mutual Pining",
    "Established Relationship",
    "Post-Canon",
    "Pre-Canon",
    "Missing Scene",
    "Character Study",
    "Whump",
    "Found Family",
    "Time Travel",
    "Soulmates",
    "Coffee Shop",
    "High School",
    "College",
    "Modern Setting",
    "Magic",
    "Fix-It",
    "Drabble",
    "Crack",
    "Hospitals",
    "Nightmares",
    "Comfort",
    "Banter",
    "Yearning",
    "Secret Identity",
    "Road Trip",
    "Holidays",
    "Christmas",
    "Halloween",
    "Grief",
    "Recovery",
    "Trauma",
    "Hurt No Comfort",
    "Fake Dating",
    "Bed Sharing",
    "Only One Bed",
    "Injury",
    "Sickfic",
    "Getting Together",
    "Love Confessions",
    "Reunion",
    "Kissing",
    "Cuddling",
    "Angst with a Happy Ending",
    "Fluff and Angst",
    "Light Angst",
    "Introspection",
    "Poetry",
    "Letters",
    "Epistolary",
    "Flashbacks",
    "Dreams",
    "Rain",
    "Snow",
    "Tea",
    "Cooking",
    "Baking",
    "Music",
    "Dancing",
    "Books",
    "Cats",
    "Dogs",
    "Dragons",
    "Vampires",
    "Werewolves",
    "Ghosts",
    "Witches",
    "Pirates",
    "Royalty",
    "Space",
    "Spies",
    "Heists",
    "Detectives",
    "Mystery",
    "Horror",
    "Adventure",
    "Politics",
    "War",
    "Aftermath",
    "Healing",
    "Family",
    "Friendship",
    "Siblings",
    "Parenthood",
    "Marriage",
    "Weddings",
    "Birthdays",
    "Jealousy",
    "Misunderstandings",
    "Communication",
];

const FREE_EXTRA: &[&str] = &[
    "with",
    "and",
    "in",
    "of",
    "the",
    "a",
    "after",
    "before",
    "during",
    "without",
    "for",
    "Au",
    "Ficlet",
    "Series",
    "Prompt",
    "Fill",
    "Week",
    "Day",
    "Bingo",
    "Exchange",
    "Gift",
    "Challenge",
    "Collection",
    "Month",
    "Zine",
    "Big Bang",
    "Remix",
    "Podfic",
    "Art",
];

/// `tags` tags of the four free kinds (5% fandoms, 35% characters, 30% relationships,
/// 30% free tags) plus synonyms for about a tenth of them, ids from 1, in a stable order.
pub fn generate(tags: usize, seed: u64) -> Vec<TagNameRow> {
    let mut rng = Rng::new(seed);
    let mut seen: HashSet<String> = HashSet::with_capacity(tags * 2);
    let mut rows: Vec<TagNameRow> = Vec::with_capacity(tags + tags / 8);
    let mut unique = |rng: &mut Rng, make: &mut dyn FnMut(&mut Rng) -> String| -> String {
        loop {
            let name = make(rng);
            if seen.insert(fold(&name)) {
                return name;
            }
        }
    };
    let n_fandoms = (tags / 20).max(1);
    let n_characters = tags * 35 / 100;
    let n_relationships = tags * 30 / 100;
    let n_free = tags - n_fandoms - n_characters - n_relationships;

    let mut fandoms = Vec::with_capacity(n_fandoms);
    for _ in 0..n_fandoms {
        let name = unique(&mut rng, &mut |r| {
            let title = match r.below(4) {
                0 => format!("The {} {}", r.pick(ADJ), r.pick(NOUN)),
                1 => format!("{} of {}", r.pick(NOUN), r.pick(NOUN)),
                2 => format!("{} {}", r.pick(ADJ), r.pick(NOUN)),
                _ => format!("{} {} {}", r.pick(ADJ), r.pick(NOUN), r.pick(NOUN)),
            };
            if r.below(3) == 0 {
                format!("{title} - {} {}", r.pick(FIRST), r.pick(LAST))
            } else {
                format!("{title} {}", r.pick(MEDIA))
            }
        });
        fandoms.push(name);
    }
    let invented = |r: &mut Rng| -> String {
        let n = 2 + r.below(2);
        let s: String = (0..n).map(|_| r.pick(SYLLABLES)).collect();
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    };
    let mut characters = Vec::with_capacity(n_characters);
    for _ in 0..n_characters {
        let fandom = fandoms[rng.skewed(fandoms.len())].clone();
        let name = unique(&mut rng, &mut |r| {
            let first = if r.below(2) == 0 {
                r.pick(FIRST).to_owned()
            } else {
                invented(r)
            };
            let last = if r.below(2) == 0 {
                r.pick(LAST).to_owned()
            } else {
                invented(r)
            };
            match r.below(10) {
                0 => first,
                1..=6 => format!("{first} {last}"),
                _ => format!("{first} {last} ({fandom})"),
            }
        });
        characters.push(name);
    }
    let mut relationships = Vec::with_capacity(n_relationships);
    for _ in 0..n_relationships {
        let name = unique(&mut rng, &mut |r| {
            let a = &characters[r.skewed(characters.len())];
            let b = &characters[r.skewed(characters.len())];
            if r.below(10) < 7 {
                format!("{a}/{b}")
            } else {
                format!("{a} & {b}")
            }
        });
        relationships.push(name);
    }
    let mut free = Vec::with_capacity(n_free);
    for _ in 0..n_free {
        let name = unique(&mut rng, &mut |r| {
            let words = 1 + r.below(4);
            let mut s = r.pick(FREE).to_owned();
            for _ in 1..words {
                s.push(' ');
                s.push_str(if r.below(2) == 0 {
                    r.pick(FREE)
                } else {
                    r.pick(FREE_EXTRA)
                });
            }
            if r.below(4) == 0 {
                s = format!("Alternate Universe - {s}");
            }
            s
        });
        free.push(name);
    }

    // Uses: Zipf over a shuffled popularity order.
    let total = n_fandoms + n_characters + n_relationships + n_free;
    let mut order: Vec<usize> = (0..total).collect();
    for i in (1..total).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut uses = vec![0u64; total];
    for (rank, &i) in order.iter().enumerate() {
        uses[i] = (100_000.0 / ((rank + 1) as f64).powf(0.85)) as u64;
    }
    let mut id = 0i64;
    for (kind, names) in [
        (TagKind::Fandom, &fandoms),
        (TagKind::Character, &characters),
        (TagKind::Relationship, &relationships),
        (TagKind::Freeform, &free),
    ] {
        for name in names.iter() {
            id += 1;
            rows.push(TagNameRow {
                id,
                kind,
                name: name.clone(),
                canonical: rng.below(10) < 4,
                merger_id: None,
                uses: uses[id as usize - 1],
                guest_uses: uses[id as usize - 1],
            });
        }
    }

    // Synonyms of a tenth of the canonical tags... and of some others, as wranglers do.
    let n_syn = total / 10;
    for _ in 0..n_syn {
        let t = rng.below(total);
        let (target, kind, name) = (rows[t].id, rows[t].kind, rows[t].name.clone());
        let words: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let candidate = match kind {
            TagKind::Relationship => {
                let parts: Vec<&str> = name.split(['/', '&']).map(str::trim).collect();
                let a: String = parts[0].chars().take(3).collect();
                let b: String = parts
                    .get(1)
                    .map(|p| p.split(' ').next().unwrap_or(p))
                    .map(|p| {
                        let c: Vec<char> = p.chars().collect();
                        c[c.len().saturating_sub(4)..].iter().collect()
                    })
                    .unwrap_or_default();
                format!("{a}{}", b.to_lowercase())
            }
            TagKind::Fandom => words
                .iter()
                .filter_map(|w| w.chars().next())
                .collect::<String>(),
            TagKind::Character => match words.as_slice() {
                [first, last, ..] => format!("{}. {last}", first.chars().next().unwrap_or('X')),
                _ => format!("{name} (nickname)"),
            },
            _ => name.to_lowercase().replace(' ', "-"),
        };
        if !seen.insert(fold(&candidate)) {
            continue;
        }
        id += 1;
        if rows[t].merger_id.is_some() {
            continue;
        }
        rows[t].canonical = true;
        let uses = rng.skewed(50) as u64;
        rows.push(TagNameRow {
            id,
            kind,
            name: candidate,
            canonical: false,
            merger_id: Some(target),
            uses,
            guest_uses: uses,
        });
    }
    rows
}

/// A typed term and how it was drawn.
#[derive(Debug, Clone)]
pub struct Term {
    pub text: String,
    pub kind: Option<TagKind>,
    /// "1".."6" letters of one word, or "2 words".
    pub shape: String,
}

/// `n` terms drawn from the names: half with the name's kind as filter. Mostly the first
/// 1–6 letters of one of the name's words (the first word a third of the time); one in
/// eight, 2–3 letters of two of its words.
pub fn terms(rows: &[TagNameRow], n: usize, seed: u64) -> Vec<Term> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let row = &rows[rng.below(rows.len())];
        let key = fold(&row.name);
        let words: Vec<&str> = key
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        let kind = (rng.below(2) == 0).then_some(row.kind);
        let prefix = |w: &str, len: usize| -> String { w.chars().take(len).collect() };
        if words.len() >= 2 && rng.below(8) == 0 {
            let a = rng.below(words.len());
            let mut b = rng.below(words.len());
            if a == b {
                b = (a + 1) % words.len();
            }
            out.push(Term {
                text: format!(
                    "{} {}",
                    prefix(words[a], 2 + rng.below(2)),
                    prefix(words[b], 2 + rng.below(2))
                ),
                kind,
                shape: "2 words".into(),
            });
            continue;
        }
        let word = if rng.below(3) == 0 {
            words[0]
        } else {
            words[rng.below(words.len())]
        };
        let len = 1 + rng.below(6);
        let text = prefix(word, len);
        let shape = text.chars().count().to_string();
        out.push(Term { text, kind, shape });
    }
    out
}
