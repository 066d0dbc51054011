//! Writes a generated eFiction 3.5 `mysqldump` (extended inserts of about 1 MB, as
//! mysqldump writes by default) for the import benchmark:
//! `cargo run --release -p tome-efiction --example gen_dump -- OUT.sql STORIES CHAPTERS_PER_STORY`.

use std::io::{BufWriter, Write};

const WORDS: &[&str] = &[
    "the", "night", "was", "quiet", "and", "she", "walked", "along", "river", "thinking", "of",
    "him", "stars", "cold", "light", "slayer", "vampire", "said", "softly", "never", "again",
    "heart", "door", "window", "rain", "library", "book", "prophecy", "laughed", "turned",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn text(r: &mut Rng, words: usize, html: bool) -> String {
    let mut s = String::new();
    for p in 0..words / 60 {
        if html {
            s.push_str("<p>");
        } else if p > 0 {
            s.push_str("\\n\\n");
        }
        for i in 0..60 {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(WORDS[r.below(WORDS.len() as u64) as usize]);
        }
        s.push_str(if r.below(4) == 0 {
            " \u{2019}tis.\\\" "
        } else {
            "."
        });
        if html {
            s.push_str("</p>\\n");
        }
    }
    s
}

/// Writes rows as `INSERT INTO t VALUES (...),(...);` statements of about 1 MB.
struct Table<'a, W: Write> {
    out: &'a mut W,
    name: &'static str,
    len: usize,
}

impl<W: Write> Table<'_, W> {
    fn row(&mut self, values: &str) -> std::io::Result<()> {
        if self.len == 0 {
            write!(self.out, "INSERT INTO `fanfiction_{}` VALUES ", self.name)?;
        } else {
            self.out.write_all(b",")?;
        }
        write!(self.out, "({values})")?;
        self.len += values.len() + 3;
        if self.len > 1_000_000 {
            self.out.write_all(b";\n")?;
            self.len = 0;
        }
        Ok(())
    }
    fn end(&mut self) -> std::io::Result<()> {
        if self.len > 0 {
            self.out.write_all(b";\n")?;
        }
        Ok(())
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(stories), Some(per)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: gen_dump OUT.sql STORIES CHAPTERS_PER_STORY");
        std::process::exit(2);
    };
    let stories: u64 = stories.parse().expect("STORIES is a number");
    let per: u64 = per.parse().expect("CHAPTERS_PER_STORY is a number");
    let authors = (stories / 10).max(1);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let create = |name: &str, cols: &str| {
        format!(
            "DROP TABLE IF EXISTS `fanfiction_{name}`;\nCREATE TABLE `fanfiction_{name}` ({cols}) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n"
        )
    };
    out.write_all(
        create(
            "settings",
            "`sitekey` varchar(50), `sitename` varchar(200), `store` varchar(5)",
        )
        .as_bytes(),
    )?;
    out.write_all(
        b"INSERT INTO `fanfiction_settings` VALUES ('bench','Benchmark Archive','mysql');\n",
    )?;
    out.write_all(create("authors", "`uid` int, `penname` varchar(200), `realname` varchar(200), `email` varchar(200), `bio` text, `image` varchar(200), `date` int, `admincreated` char(1), `password` varchar(40)").as_bytes())?;
    let mut t = Table {
        out: &mut out,
        name: "authors",
        len: 0,
    };
    for uid in 1..=authors {
        t.row(&format!(
            "{uid},'Author {uid}','','author{uid}@example.org','','',1100000000,'0','x'"
        ))?;
    }
    t.end()?;
    out.write_all(create("categories", "`catid` int, `parentcatid` int, `category` varchar(60), `description` text, `image` varchar(100), `locked` char(1), `leveldown` tinyint, `displayorder` int, `numitems` int").as_bytes())?;
    let mut t = Table {
        out: &mut out,
        name: "categories",
        len: 0,
    };
    for c in 1..=20 {
        let parent = if c > 5 { (c % 5) + 1 } else { -1 };
        t.row(&format!("{c},{parent},'Category {c}','','','0',0,{c},0"))?;
    }
    t.end()?;
    out.write_all(
        create(
            "characters",
            "`charid` int, `catid` int, `charname` varchar(60), `bio` text, `image` varchar(200)",
        )
        .as_bytes(),
    )?;
    let mut t = Table {
        out: &mut out,
        name: "characters",
        len: 0,
    };
    for c in 1..=100 {
        t.row(&format!("{c},{},'Character {c}','',''", (c % 5) + 1))?;
    }
    t.end()?;
    out.write_all(
        create(
            "classtypes",
            "`classtype_id` int, `classtype_name` varchar(50), `classtype_title` varchar(50)",
        )
        .as_bytes(),
    )?;
    out.write_all(b"INSERT INTO `fanfiction_classtypes` VALUES (1,'genre','Genres'),(2,'warnings','Warnings');\n")?;
    out.write_all(
        create(
            "classes",
            "`class_id` int, `class_type` int, `class_name` varchar(100)",
        )
        .as_bytes(),
    )?;
    out.write_all(b"INSERT INTO `fanfiction_classes` VALUES (1,1,'Angst'),(2,1,'Humor'),(3,1,'Romance'),(4,2,'Violence'),(5,2,'Character Death'),(6,2,'No Warnings Apply');\n")?;
    out.write_all(
        create(
            "ratings",
            "`rid` int, `rating` varchar(60), `ratingwarning` char(1), `warningtext` text",
        )
        .as_bytes(),
    )?;
    out.write_all(b"INSERT INTO `fanfiction_ratings` VALUES (1,'G','0',''),(2,'PG-13','0',''),(3,'R','1',''),(4,'NC-17','1','');\n")?;
    out.write_all(create("chapters", "`chapid` int, `title` varchar(250), `inorder` int, `notes` text, `storytext` text, `endnotes` text, `validated` char(1), `wordcount` int, `rating` tinyint, `reviews` smallint, `sid` int, `uid` int, `count` int").as_bytes())?;
    let mut t = Table {
        out: &mut out,
        name: "chapters",
        len: 0,
    };
    let mut chapid = 0;
    for sid in 1..=stories {
        let uid = (sid % authors) + 1;
        for k in 1..=per {
            chapid += 1;
            let words = 300 + r.below(900) as usize;
            let body = text(&mut r, words, sid % 2 == 0);
            t.row(&format!(
                "{chapid},'Chapter {k}',{k},'','{body}','','1',{words},0,0,{sid},{uid},0"
            ))?;
        }
    }
    t.end()?;
    out.write_all(create("stories", "`sid` int, `title` varchar(200), `summary` text, `storynotes` text, `catid` varchar(100), `classes` varchar(200), `charid` varchar(250), `rid` varchar(25), `date` int, `updated` int, `uid` int, `coauthors` tinyint, `featured` char(1), `validated` char(1), `completed` char(1), `rr` char(1), `wordcount` int, `rating` tinyint, `reviews` smallint, `count` int").as_bytes())?;
    let mut t = Table {
        out: &mut out,
        name: "stories",
        len: 0,
    };
    for sid in 1..=stories {
        let uid = (sid % authors) + 1;
        let cat = r.below(20) + 1;
        let chars = format!("{},{}", r.below(100) + 1, r.below(100) + 1);
        let classes = format!("{},{}", r.below(3) + 1, r.below(3) + 4);
        let validated = if sid % 50 == 0 { 0 } else { 1 };
        t.row(&format!(
            "{sid},'Story {sid}: the {} {}','A summary of story {sid}, with <i>emphasis</i>.','','{cat}','{classes}','{chars}','{}',1100000000,1100001000,{uid},0,'0','{validated}','{}','0',0,0,0,{}",
            WORDS[r.below(30) as usize], WORDS[r.below(30) as usize], r.below(4) + 1, r.below(2), r.below(500)
        ))?;
    }
    t.end()?;
    out.write_all(create("reviews", "`reviewid` int, `item` int, `chapid` int, `reviewer` varchar(60), `uid` int, `review` text, `date` int, `rating` int, `respond` char(1), `type` char(2)").as_bytes())?;
    let mut t = Table {
        out: &mut out,
        name: "reviews",
        len: 0,
    };
    for id in 1..=stories {
        let sid = r.below(stories) + 1;
        t.row(&format!(
            "{id},{sid},0,'Reader',0,'Lovely story, thank you!',1100002000,-1,'0','ST'"
        ))?;
    }
    t.end()?;
    out.flush()
}
