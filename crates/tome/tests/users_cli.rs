//! `tome users` end to end: the real binary on a real SQLite data folder.

mod common;

use common::*;
use std::io::Write;
use std::process::Stdio;

#[test]
fn users_add_admin_list_and_roles() {
    let data = data_dir();
    // Generated password, printed once.
    let out = run_ok(tome(data.path()).args([
        "users",
        "add",
        "boss",
        "--email",
        "boss@example.org",
        "--admin",
    ]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let pw = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("a generated password");
    assert_eq!(pw.len(), 20);

    // Password from standard input, and a role.
    let mut child = tome(data.path())
        .args([
            "users",
            "add",
            "wrangler1",
            "--email",
            "w@example.org",
            "--role",
            "tag_wrangler",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("password:"));

    // A taken login is refused with the form's message.
    let out = tome(data.path())
        .args(["users", "add", "BOSS", "--email", "x@example.org"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("User name has already been taken."));

    let out = run_ok(tome(data.path()).args(["users", "list"]));
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("boss\tboss@example.org\tadmin"), "{list}");
    assert!(
        list.contains("wrangler1\tw@example.org\ttag_wrangler"),
        "{list}"
    );

    let out = run_ok(tome(data.path()).args([
        "users",
        "role",
        "wrangler1",
        "--add",
        "moderator",
        "--remove",
        "tag_wrangler",
    ]));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "wrangler1: moderator"
    );
}
