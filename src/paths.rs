//! Paths compared as written: `.` and `..` resolved by the text alone, never through the file system (a path a
//! linter reads may not exist, and a link must not change what a configuration or a Compose file means).

use std::path::{Component, Path, PathBuf};

/// `a/./b/../c` as `a/c`. A `..` that climbs above the start of a relative path is kept (`../x`); one above the
/// root of an absolute path is dropped (`/..` is `/`).
pub fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_resolved_by_the_text() {
        let cases = [
            ("a/./b/../c", "a/c"),
            ("../../x", "../../x"),
            ("a/../../x", "../x"),
            ("/a/../../x", "/x"),
            ("/work/./p/", "/work/p"),
            ("./", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(Path::new(input)), PathBuf::from(expected), "{input}");
        }
    }
}
