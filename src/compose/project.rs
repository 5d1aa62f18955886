//! Loading a Compose project as `docker compose` (compose-go v2) does: find the files, parse each one, resolve
//! `include`, then `extends`, then merge the override files in order. Every file that takes part (the `-f` files,
//! included files, files named by `extends`) gets a [`FileId`]; every value of the merged tree keeps the place it
//! was written, plus the `include` or `extends` it came through.
//!
//! Loading never fails and never panics: a missing file, a cycle or a bad reference is a diagnostic, and what
//! could be read is kept. Include and extends chains are cut at [`MAX_INCLUDE_DEPTH`] and [`MAX_EXTENDS_DEPTH`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::merge::{self, extend_service, normalize, normalize_at};
use super::tree::{FileId, MapEntry, Place, Value, ValueKind, Via};
use super::{INVALID_EXTENDS, INVALID_INCLUDE, WRONG_TYPE, YAML_SYNTAX_ERROR, yaml};
use crate::diagnostic::{Diagnostic, Severity};
use crate::paths::clean as clean_path;
use crate::source::TextRange;

/// Includes nested deeper than this are not followed.
pub const MAX_INCLUDE_DEPTH: usize = 32;
/// At most this many `include` entries are loaded in one project (a file included twice counts twice), so that
/// files including each other several times cannot make the work grow exponentially.
pub const MAX_INCLUDE_LOADS: usize = 256;
/// `extends` chains longer than this are not followed.
pub const MAX_EXTENDS_DEPTH: usize = 64;

/// The Compose file names looked for in a folder, in order of preference.
pub const DEFAULT_FILE_NAMES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
/// The override file names looked for beside the Compose file, in order of preference.
pub const DEFAULT_OVERRIDE_FILE_NAMES: [&str; 4] =
    ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];

/// Where the loader reads files: the disk, or memory (tests, an editor's open buffers).
pub trait FileSource {
    fn read(&self, path: &Path) -> std::io::Result<String>;
    fn exists(&self, path: &Path) -> bool;
}

/// The file system.
pub struct RealFs;

impl FileSource for RealFs {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        let bytes = std::fs::read(path)?;
        Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    fn exists(&self, path: &Path) -> bool {
        path.is_file()
    }
}

/// Files held in memory, by path.
#[derive(Clone, Debug, Default)]
pub struct MemoryFs(pub BTreeMap<PathBuf, String>);

impl FileSource for MemoryFs {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.0.get(&clean_path(path)).cloned().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }

    fn exists(&self, path: &Path) -> bool {
        self.0.contains_key(&clean_path(path))
    }
}

/// Texts that stand in for some files of another source: an editor's unsaved buffers over the disk, or the
/// fixed texts of `check --fix` before they are written.
pub struct Overlay<'a> {
    pub base: &'a dyn FileSource,
    pub files: BTreeMap<PathBuf, String>,
}

impl FileSource for Overlay<'_> {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        match self.files.get(&clean_path(path)) {
            Some(text) => Ok(text.clone()),
            None => self.base.read(path),
        }
    }

    fn exists(&self, path: &Path) -> bool {
        self.files.contains_key(&clean_path(path)) || self.base.exists(path)
    }
}

impl Overlay<'_> {
    pub fn insert(&mut self, path: &Path, text: String) {
        self.files.insert(clean_path(path), text);
    }
}

/// One file of the project.
#[derive(Clone, Debug)]
pub struct ProjectFile {
    pub path: PathBuf,
    pub text: String,
    /// The parsed YAML; empty for an env file.
    pub yaml: yaml::YamlFile,
    /// An env file (`.env`, `env_file` of an include), registered so its diagnostics can point into it.
    pub is_env_file: bool,
}

/// What to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The `-f` files in order; relative ones are taken from `dir`. Empty: the default files in `dir`.
    pub files: Vec<PathBuf>,
    /// The project directory: where `.env` is read and the project name comes from.
    pub dir: PathBuf,
    /// `--env-file` files (relative to `dir`); when empty, `dir/.env` is read if it exists.
    pub env_files: Vec<PathBuf>,
    /// Whether the process environment is used (it wins over the env files).
    pub use_process_env: bool,
    /// Extra variables, winning over everything else (tests, an editor's settings).
    pub env: BTreeMap<String, String>,
}

/// A loaded project.
#[derive(Clone, Debug)]
pub struct Project {
    /// Every file read, the index being its [`FileId`]. A file that could not be read has an empty text.
    pub files: Vec<ProjectFile>,
    /// The merged, interpolated model with `include` and `extends` resolved; `None` without any readable file.
    pub root: Option<Value>,
    pub diagnostics: Vec<(FileId, Diagnostic)>,
    /// The files loaded as the project's layers, in order: the `-f` files, or a folder's file and its override.
    pub layers: Vec<FileId>,
    /// The project name: `COMPOSE_PROJECT_NAME`, the `name:` key, or the project folder's name, normalized as
    /// Compose does (lower case; letters, digits, `-` and `_`).
    pub name: Option<String>,
    pub working_dir: PathBuf,
    /// The folder relative paths of a file are taken from, where it is not the file's own: an `include` with
    /// `project_directory` makes that folder the base of the included files' paths.
    pub path_bases: HashMap<FileId, PathBuf>,
}

impl Project {
    pub fn file(&self, id: FileId) -> Option<&ProjectFile> {
        self.files.get(id.0 as usize)
    }

    /// The folder relative paths (build contexts, bind sources, env files …) written in file `id` are taken
    /// from: its `include`'s `project_directory`, or the file's folder.
    pub fn base_dir(&self, id: FileId) -> Option<PathBuf> {
        self.path_bases.get(&id).cloned().or_else(|| Some(self.file(id)?.path.parent()?.to_path_buf()))
    }
}

/// The files of a folder's project, as `docker compose` finds them: the files `COMPOSE_FILE` lists (from the
/// process environment when `dir` is the current folder, else from `dir/.env`), or else the Compose file (the
/// first of [`DEFAULT_FILE_NAMES`] that exists) and its override file (the first of
/// [`DEFAULT_OVERRIDE_FILE_NAMES`]). Empty when there is none.
pub fn find_project_files(dir: &Path, fs: &dyn FileSource) -> Vec<PathBuf> {
    compose_file_list(dir, fs).unwrap_or_else(|| default_files(dir, fs))
}

/// The files `COMPOSE_FILE` names for the project in `dir` (the process environment when `dir` is the current
/// folder, else `dir/.env`), joined to `dir`; `None` when it is not set.
pub fn compose_file_list(dir: &Path, fs: &dyn FileSource) -> Option<Vec<PathBuf>> {
    let dotenv = fs.read(&dir.join(".env")).map(|text| dotenv_vars(&text)).unwrap_or_default();
    compose_file_setting(dir, &dotenv, true)
}

/// The variables of a `.env` text, without the process environment.
fn dotenv_vars(text: &str) -> BTreeMap<String, String> {
    let (entries, _) = super::dotenv::parse_dotenv(text, &BTreeMap::<String, String>::new());
    entries.into_iter().map(|e| (e.key, e.value)).collect()
}

/// The files `COMPOSE_FILE` names, split at `COMPOSE_PATH_SEPARATOR` (`:`, `;` on Windows), relative to `dir`.
/// The process environment is asked first when `process` is set and `dir` is the current folder (Compose reads
/// it for the project it is started in), then the env-file variables `vars`.
fn compose_file_setting(dir: &Path, vars: &BTreeMap<String, String>, process: bool) -> Option<Vec<PathBuf>> {
    let from_process = process && is_current_dir(dir);
    let get = |key: &str| {
        from_process
            .then(|| std::env::var(key).ok())
            .flatten()
            .or_else(|| vars.get(key).cloned())
            .filter(|v| !v.is_empty())
    };
    let list = get("COMPOSE_FILE")?;
    let separator = get("COMPOSE_PATH_SEPARATOR").unwrap_or_else(|| if cfg!(windows) { ";" } else { ":" }.into());
    let files: Vec<PathBuf> = list.split(separator.as_str()).filter(|p| !p.is_empty()).map(|p| dir.join(p)).collect();
    (!files.is_empty()).then_some(files)
}

fn is_current_dir(dir: &Path) -> bool {
    if dir.as_os_str().is_empty() || dir == Path::new(".") {
        return true;
    }
    let current = std::env::current_dir().ok().and_then(|d| std::fs::canonicalize(d).ok());
    current.is_some() && std::fs::canonicalize(dir).ok() == current
}

/// The default Compose file of a folder and its override file.
fn default_files(dir: &Path, fs: &dyn FileSource) -> Vec<PathBuf> {
    let Some(main) = DEFAULT_FILE_NAMES.iter().map(|name| dir.join(name)).find(|p| fs.exists(p)) else {
        return Vec::new();
    };
    let mut files = vec![main];
    files.extend(DEFAULT_OVERRIDE_FILE_NAMES.iter().map(|name| dir.join(name)).find(|p| fs.exists(p)));
    files
}

/// Loads a project. Never fails: problems are in [`Project::diagnostics`].
pub fn load(options: &LoadOptions, fs: &dyn FileSource) -> Project {
    let dir = clean_path(&options.dir);
    let (mut vars, file_vars, env_files) = variables(options, &dir, fs);
    let paths: Vec<PathBuf> = if options.files.is_empty() {
        compose_file_setting(&dir, &file_vars, options.use_process_env).unwrap_or_else(|| default_files(&dir, fs))
    } else {
        options.files.iter().map(|f| clean_path(&dir.join(f))).collect()
    };
    let mut loader = Loader {
        fs,
        files: Vec::new(),
        by_path: HashMap::new(),
        diagnostics: Vec::new(),
        include_loads: 0,
        path_bases: HashMap::new(),
    };
    for env in env_files.into_iter().filter(|e| !e.diagnostics.is_empty()) {
        let id = loader.add_text_file(env.path, env.text);
        loader.diagnostics.extend(env.diagnostics.into_iter().map(|d| (id, d)));
    }
    let mut ids = Vec::with_capacity(paths.len());
    for path in &paths {
        match loader.file(path) {
            Ok(id) => ids.push(id),
            Err(error) => {
                let id = loader.add_file(path.clone(), String::new());
                let message = format!("cannot read {}: {error}", path.display());
                loader.report(Place { file: id, range: TextRange::empty(0) }, YAML_SYNTAX_ERROR, message);
            }
        }
    }
    // Compose predefines COMPOSE_PROJECT_NAME for interpolation: the project name as it is found before the
    // files are interpolated (the environment, the last `name:` of the files, interpolated on its own, or the
    // folder).
    if !vars.contains_key("COMPOSE_PROJECT_NAME") {
        let declared = ids.iter().rev().find_map(|id| loader.declared_name(*id, &vars));
        let raw = declared.or_else(|| folder_name(&dir));
        if let Some(name) = raw.as_deref().and_then(normalize_project_name) {
            vars.insert("COMPOSE_PROJECT_NAME".to_owned(), name);
        }
    }
    let context = Context { vars, include_stack: paths.clone() };
    let mut root = loader.load_model(&ids, &context);
    if let Some(root) = &mut root {
        loader.apply_env_files(root, &context);
        resolve_bare_environment(root, &context.vars);
    }
    let layers = ids;
    let name = project_name(&context.vars, root.as_ref(), &dir);
    let mut diagnostics = loader.diagnostics;
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|(file, d)| seen.insert((*file, d.code, d.range, d.message.clone())));
    Project { files: loader.files, root, diagnostics, layers, name, working_dir: dir, path_bases: loader.path_bases }
}

/// The variables for interpolation: the env files, then the process environment (which wins over them), then
/// `options.env`. Also returns the variables of the env files and `options.env` alone, and the env files read,
/// with their diagnostics.
fn variables(
    options: &LoadOptions,
    dir: &Path,
    fs: &dyn FileSource,
) -> (BTreeMap<String, String>, BTreeMap<String, String>, Vec<EnvFile>) {
    let mut vars = BTreeMap::new();
    let env_files: Vec<PathBuf> = if options.env_files.is_empty() {
        vec![dir.join(".env")]
    } else {
        options.env_files.iter().map(|f| clean_path(&dir.join(f))).collect()
    };
    let process: BTreeMap<String, String> =
        if options.use_process_env { std::env::vars().collect() } else { BTreeMap::new() };
    let mut env_docs = Vec::new();
    for path in env_files {
        let Ok(text) = fs.read(&path) else { continue };
        // `.env` values may use the process environment and the keys set before them.
        let (entries, diagnostics) = super::dotenv::parse_dotenv(&text, &process);
        vars.extend(entries.into_iter().map(|e| (e.key, e.value)));
        env_docs.push(EnvFile { path, text, diagnostics });
    }
    let mut file_vars = vars.clone();
    file_vars.extend(options.env.iter().map(|(k, v)| (k.clone(), v.clone())));
    vars.extend(process);
    vars.extend(options.env.iter().map(|(k, v)| (k.clone(), v.clone())));
    (vars, file_vars, env_docs)
}

/// An env file that was read, kept so its diagnostics can point into it.
struct EnvFile {
    path: PathBuf,
    text: String,
    diagnostics: Vec<Diagnostic>,
}

fn project_name(vars: &BTreeMap<String, String>, root: Option<&Value>, dir: &Path) -> Option<String> {
    let from_env = vars.get("COMPOSE_PROJECT_NAME").map(String::as_str).filter(|n| !n.is_empty());
    let from_file = root.and_then(|r| r.get("name")).and_then(Value::as_str).filter(|n| !n.is_empty());
    let from_dir = folder_name(dir);
    normalize_project_name(from_env.or(from_file).or(from_dir.as_deref())?)
}

/// The name of the project folder; for a relative folder without one (`.`, `..`), the name of the folder it is
/// on disk, as Compose takes it.
fn folder_name(dir: &Path) -> Option<String> {
    if let Some(name) = dir.file_name().and_then(|n| n.to_str()) {
        return Some(name.to_owned());
    }
    let on_disk = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let canonical = std::fs::canonicalize(on_disk).ok()?;
    canonical.file_name().and_then(|n| n.to_str()).map(str::to_owned)
}

/// A project name as Compose normalizes it: lower case; letters, digits, `-` and `_`; not starting with `-` or
/// `_`. `None` when nothing is left.
fn normalize_project_name(raw: &str) -> Option<String> {
    let name: String = raw
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_')
        .collect();
    let name = name.trim_start_matches(['-', '_']);
    (!name.is_empty()).then(|| name.to_owned())
}

/// What a (sub-)project is loaded with.
struct Context {
    vars: BTreeMap<String, String>,
    /// The files being loaded, outermost first, to find include cycles.
    include_stack: Vec<PathBuf>,
}

struct Loader<'a> {
    fs: &'a dyn FileSource,
    files: Vec<ProjectFile>,
    by_path: HashMap<PathBuf, FileId>,
    diagnostics: Vec<(FileId, Diagnostic)>,
    /// How many `include` entries were loaded so far.
    include_loads: usize,
    /// See [`Project::path_bases`].
    path_bases: HashMap<FileId, PathBuf>,
}

/// The top-level sections whose entries `include` imports.
const RESOURCES: [&str; 6] = ["services", "networks", "volumes", "secrets", "configs", "models"];

impl Loader<'_> {
    fn report(&mut self, place: Place, code: &'static str, message: String) {
        self.diagnostics.push((place.file, Diagnostic::new(code, Severity::Error, place.range, message)));
    }

    /// Registers a file that is not YAML (an env file), so diagnostics can point into it.
    fn add_text_file(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(ProjectFile { path, text, yaml: yaml::parse(""), is_env_file: true });
        id
    }

    fn add_file(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        let yaml = yaml::parse(&text);
        for d in &yaml.diagnostics {
            self.diagnostics.push((id, d.clone()));
        }
        self.by_path.insert(path.clone(), id);
        self.files.push(ProjectFile { path, text, yaml, is_env_file: false });
        id
    }

    /// The file at `path` (read and parsed once).
    fn file(&mut self, path: &Path) -> std::io::Result<FileId> {
        let path = clean_path(path);
        if let Some(&id) = self.by_path.get(&path) {
            return Ok(id);
        }
        let text = self.fs.read(&path)?;
        let id = self.add_file(path, text);
        self.check_top_level(id);
        Ok(id)
    }

    fn path_of(&self, id: FileId) -> PathBuf {
        self.files.get(id.0 as usize).map(|f| f.path.clone()).unwrap_or_default()
    }

    fn dir_of(&self, id: FileId) -> PathBuf {
        self.path_of(id).parent().map(Path::to_path_buf).unwrap_or_default()
    }

    /// The folder the relative paths of file `id` are taken from (see [`Project::path_bases`]).
    fn path_base(&self, id: FileId) -> PathBuf {
        self.path_bases.get(&id).cloned().unwrap_or_else(|| self.dir_of(id))
    }

    /// Warnings about the file as a whole, given once per file.
    fn check_top_level(&mut self, id: FileId) {
        let Some(root) = self.files.get(id.0 as usize).and_then(|f| f.yaml.documents.first()).map(|d| &d.root) else {
            return;
        };
        if !root.is_mapping() && !root.is_null() {
            let message = format!("the top level of a Compose file must be a mapping, not a {}", root.type_name());
            self.report(Place { file: id, range: root.range }, WRONG_TYPE, message);
        }
    }

    /// The top-level `name:` of a file, interpolated on its own.
    fn declared_name(&self, id: FileId, vars: &BTreeMap<String, String>) -> Option<String> {
        let root = &self.files.get(id.0 as usize)?.yaml.documents.first()?.root;
        let name = root.get("name").filter(|n| n.is_scalar() && !n.is_null())?.as_str()?;
        let value = super::interpolate::interpolate_str(name, vars).ok()?.value;
        (!value.is_empty()).then_some(value)
    }

    /// Reads each service's `env_file` files (those that exist) as Compose does: their variables become the
    /// service's `environment`, under what the service sets itself, each key and value pointing at its line in
    /// the env file (registered as a project file). Relative paths are taken from the folder of the file that
    /// names them. A file that cannot be read is left out (reporting it is a check's work).
    fn apply_env_files(&mut self, root: &mut Value, context: &Context) {
        let Some(ValueKind::Map(services)) = root.get_mut("services").map(|s| &mut s.kind) else { return };
        let mut read: HashMap<PathBuf, Option<(FileId, Vec<super::dotenv::DotenvEntry>)>> = HashMap::new();
        for service in services.iter_mut() {
            let Some(env_file) = service.value.get("env_file") else { continue };
            let items: Vec<&Value> = match &env_file.kind {
                ValueKind::Seq(items) => items.iter().collect(),
                ValueKind::Scalar(_) if !env_file.is_null() => vec![env_file],
                _ => continue,
            };
            let paths: Vec<PathBuf> = items
                .iter()
                .filter_map(|item| {
                    let path = match &item.kind {
                        ValueKind::Scalar(_) => item.as_str(),
                        ValueKind::Map(_) => item.get("path").and_then(Value::as_str),
                        ValueKind::Seq(_) => None,
                    }?;
                    (!path.is_empty() && !path.contains('$'))
                        .then(|| clean_path(&self.path_base(item.origin.place.file).join(path)))
                })
                .collect();
            let mut entries: Vec<MapEntry> = Vec::new();
            for path in paths {
                let loaded = read.entry(path.clone()).or_insert_with(|| {
                    let text = self.fs.read(&path).ok()?;
                    let (found, diagnostics) = super::dotenv::parse_dotenv(&text, &context.vars);
                    let id = self.add_text_file(path.clone(), text);
                    self.diagnostics.extend(diagnostics.into_iter().map(|d| (id, d)));
                    Some((id, found))
                });
                let Some((id, found)) = loaded else { continue };
                let text = self.files.get(id.0 as usize).map(|f| f.text.as_str()).unwrap_or_default();
                for e in found.iter() {
                    let statement = text.get(e.range.as_usize()).unwrap_or_default();
                    let key_start = e.range.start as usize + statement.find(e.key.as_str()).unwrap_or(0);
                    let key_range = TextRange::from_usize(key_start, key_start + e.key.len());
                    let value = Value {
                        kind: ValueKind::Scalar(super::tree::Scalar { text: e.value.clone(), quoted: true }),
                        origin: super::tree::Origin::new(*id, e.value_range),
                        tag: None,
                    };
                    let entry =
                        MapEntry { key: e.key.clone(), key_origin: super::tree::Origin::new(*id, key_range), value };
                    match entries.iter().position(|x| x.key == entry.key) {
                        Some(i) => entries[i] = entry,
                        None => entries.push(entry),
                    }
                }
            }
            if entries.is_empty() {
                continue;
            }
            let origin = env_file.origin.clone();
            let from_files = Value { kind: ValueKind::Map(entries), origin, tag: None };
            let ValueKind::Map(keys) = &mut service.value.kind else { continue };
            let path = ["services", service.key.as_str(), "environment"];
            match keys.iter_mut().find(|e| e.key == "environment") {
                Some(own) => {
                    let written = std::mem::replace(&mut own.value, empty_map(from_files.origin.place.file));
                    let origin = written.origin.clone();
                    own.value = merge::merge_at(from_files, written, &path);
                    own.value.origin = origin;
                }
                None => {
                    let key_origin = from_files.origin.clone();
                    keys.push(MapEntry { key: "environment".to_owned(), key_origin, value: from_files });
                }
            }
        }
    }

    /// The file's tree, interpolated: a mapping (empty when the file holds none).
    fn tree(&mut self, id: FileId, context: &Context) -> Value {
        let empty = Value {
            kind: ValueKind::Map(Vec::new()),
            origin: super::tree::Origin::new(id, TextRange::empty(0)),
            tag: None,
        };
        let Some(node) = self.files.get(id.0 as usize).and_then(|f| f.yaml.documents.first()).map(|d| &d.root) else {
            return empty;
        };
        let mut value = Value::from_yaml(node, id);
        let mut found = Vec::new();
        let files = &self.files;
        let texts = |file: FileId| files.get(file.0 as usize).map(|f| f.text.as_str());
        super::interpolate::interpolate_tree(&mut value, &context.vars, &texts, &mut found);
        self.diagnostics.extend(found);
        if value.as_map().is_some() { value } else { empty }
    }

    /// Loads the files `ids` as one model: each file with its includes and extends resolved, then merged in order.
    fn load_model(&mut self, ids: &[FileId], context: &Context) -> Option<Value> {
        let mut acc: Option<Value> = None;
        for &id in ids {
            let mut tree = self.tree(id, context);
            self.apply_include(&mut tree, id, context);
            self.apply_extends(&mut tree, id, context);
            acc = Some(match acc {
                None => normalize(tree).unwrap_or_else(|| empty_map(id)),
                Some(base) => merge::merge(base, tree),
            });
        }
        acc
    }

    fn apply_include(&mut self, tree: &mut Value, id: FileId, context: &Context) {
        let ValueKind::Map(entries) = &mut tree.kind else { return };
        let Some(position) = entries.iter().position(|e| e.key == "include") else { return };
        let include = entries.remove(position);
        let items: Vec<Value> = match include.value.kind {
            ValueKind::Seq(items) => items,
            _ if include.value.is_null() => return,
            _ => {
                let message = "`include` must be a list".to_owned();
                self.report(include.value.origin.use_place(), WRONG_TYPE, message);
                return;
            }
        };
        let dir = self.dir_of(id);
        for item in items {
            let at = item.origin.use_place();
            let Some(spec) = IncludeSpec::read(&item) else {
                self.report(at, WRONG_TYPE, "an `include` entry must be a path or a mapping with `path`".to_owned());
                continue;
            };
            if context.include_stack.len() > MAX_INCLUDE_DEPTH {
                self.report(at, INVALID_INCLUDE, format!("includes nest deeper than {MAX_INCLUDE_DEPTH} files"));
                continue;
            }
            if self.include_loads >= MAX_INCLUDE_LOADS {
                self.report(at, INVALID_INCLUDE, format!("more than {MAX_INCLUDE_LOADS} includes in one project"));
                continue;
            }
            self.include_loads += 1;
            let paths: Vec<PathBuf> = spec.paths.iter().map(|p| clean_path(&dir.join(p))).collect();
            if let Some(cycle) = paths.iter().find(|p| context.include_stack.contains(p)) {
                let mut chain: Vec<String> = context.include_stack.iter().map(|p| p.display().to_string()).collect();
                chain.push(cycle.display().to_string());
                self.report(at, INVALID_INCLUDE, format!("include cycle: {}", chain.join(" → ")));
                continue;
            }
            let mut ids = Vec::with_capacity(paths.len());
            for path in &paths {
                match self.file(path) {
                    Ok(file) => ids.push(file),
                    Err(error) => {
                        let message = format!("cannot include {}: {error}", path.display());
                        self.report(at, INVALID_INCLUDE, message);
                    }
                }
            }
            if ids.len() != paths.len() {
                continue;
            }
            // The included project sees the parent's variables, with its own env files (or the `.env` of its
            // project directory) laid over them.
            let project_dir = match &spec.project_directory {
                Some(d) => clean_path(&dir.join(d)),
                None => paths.first().and_then(|p| p.parent()).map_or_else(|| dir.clone(), Path::to_path_buf),
            };
            let env_paths: Vec<PathBuf> = if spec.env_files.is_empty() {
                vec![project_dir.join(".env")]
            } else {
                spec.env_files.iter().map(|f| clean_path(&dir.join(f))).collect()
            };
            if spec.project_directory.is_some() {
                for id in &ids {
                    self.path_bases.insert(*id, project_dir.clone());
                }
            }
            let mut vars = context.vars.clone();
            for path in env_paths {
                let Ok(text) = self.fs.read(&path) else { continue };
                let (entries, found) = super::dotenv::parse_dotenv(&text, &context.vars);
                vars.extend(entries.into_iter().map(|e| (e.key, e.value)));
                if !found.is_empty() {
                    let id = self.add_text_file(path, text);
                    self.diagnostics.extend(found.into_iter().map(|d| (id, d)));
                }
            }
            let mut include_stack = context.include_stack.clone();
            include_stack.extend(paths.iter().cloned());
            let child = Context { vars, include_stack };
            let Some(mut imported) = self.load_model(&ids, &child) else { continue };
            imported.add_via(&Via::Include { at });
            self.import_resources(tree, imported, at, &paths);
        }
    }

    /// Adds the included model's services, networks … to `tree`. A name defined on both sides with a different
    /// definition is an error; the including file's definition is kept.
    fn import_resources(&mut self, tree: &mut Value, imported: Value, at: Place, paths: &[PathBuf]) {
        let ValueKind::Map(imported_sections) = imported.kind else { return };
        let ValueKind::Map(sections) = &mut tree.kind else { return };
        for section in imported_sections {
            if !RESOURCES.contains(&section.key.as_str()) {
                continue;
            }
            let ValueKind::Map(new_entries) = section.value.kind else { continue };
            let target = match sections.iter().position(|e| e.key == section.key) {
                Some(i) => &mut sections[i],
                None => {
                    let value = Value { kind: ValueKind::Map(Vec::new()), origin: section.value.origin, tag: None };
                    sections.push(MapEntry { key: section.key.clone(), key_origin: section.key_origin, value });
                    let last = sections.len() - 1;
                    &mut sections[last]
                }
            };
            let ValueKind::Map(existing) = &mut target.value.kind else { continue };
            for entry in new_entries {
                match existing.iter().find(|e| e.key == entry.key) {
                    Some(present) if same_content(&present.value, &entry.value) => {}
                    Some(_) => {
                        let kind = section.key.trim_end_matches('s');
                        let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                        let message = format!(
                            "included file {} defines {kind} `{}`, which is already defined here",
                            files.join(", "),
                            entry.key
                        );
                        self.diagnostics
                            .push((at.file, Diagnostic::new(INVALID_INCLUDE, Severity::Error, at.range, message)));
                    }
                    None => existing.push(entry),
                }
            }
        }
    }

    fn apply_extends(&mut self, tree: &mut Value, id: FileId, context: &Context) {
        let Some(services) = tree.get("services").cloned() else { return };
        let names: Vec<String> = services
            .as_map()
            .unwrap_or_default()
            .iter()
            .filter(|e| e.value.get("extends").is_some())
            .map(|e| e.key.clone())
            .collect();
        if names.is_empty() {
            return;
        }
        let mut resolved = Vec::with_capacity(names.len());
        for name in names {
            let mut chain = Vec::new();
            if let Some(service) = self.resolve_service(id, &services, &name, &mut chain, context) {
                resolved.push((name, service));
            }
        }
        let Some(ValueKind::Map(entries)) = tree.get_mut("services").map(|s| &mut s.kind) else { return };
        for (name, service) in resolved {
            if let Some(entry) = entries.iter_mut().find(|e| e.key == name) {
                entry.value = service;
            }
        }
    }

    /// The service `name` of file `file` (whose services are `services`) with its `extends` chain applied.
    /// `chain` holds the services being resolved, to find cycles.
    fn resolve_service(
        &mut self,
        file: FileId,
        services: &Value,
        name: &str,
        chain: &mut Vec<(FileId, String)>,
        context: &Context,
    ) -> Option<Value> {
        let mut service = services.get(name)?.clone();
        let Some(extends_entry) = service.get_entry("extends").cloned() else { return Some(service) };
        remove_key(&mut service, "extends");
        let at = extends_entry.key_origin.use_place();
        let value = &extends_entry.value;
        let (reference, target_file) = match &value.kind {
            ValueKind::Scalar(s) => (s.text.clone(), None),
            ValueKind::Map(_) => {
                let Some(reference) = value.get("service").and_then(Value::as_str) else {
                    self.report(at, INVALID_EXTENDS, "`extends` needs a `service`".to_owned());
                    return Some(service);
                };
                (reference.to_owned(), value.get("file"))
            }
            ValueKind::Seq(_) => {
                let message = "`extends` must be a service name or a mapping with `service`".to_owned();
                self.report(value.origin.use_place(), WRONG_TYPE, message);
                return Some(service);
            }
        };
        if chain.len() >= MAX_EXTENDS_DEPTH {
            self.report(
                at,
                INVALID_EXTENDS,
                format!("`extends` chains longer than {MAX_EXTENDS_DEPTH} are not followed"),
            );
            return Some(service);
        }
        chain.push((file, name.to_owned()));
        let base = match target_file {
            Some(target) => {
                let Some(relative) = target.as_str() else {
                    self.report(target.origin.use_place(), WRONG_TYPE, "`extends.file` must be a path".to_owned());
                    chain.pop();
                    return Some(service);
                };
                let path = clean_path(&self.dir_of(file).join(relative));
                match self.file(&path) {
                    Ok(other) => {
                        let other_tree = self.tree(other, context);
                        let other_services = other_tree.get("services").cloned().unwrap_or_else(|| empty_map(other));
                        if other_services.get(&reference).is_none() {
                            let message = format!("service `{reference}` not found in {}", path.display());
                            self.report(at, INVALID_EXTENDS, message);
                            None
                        } else {
                            self.resolve_target(other, &other_services, &reference, chain, context, at)
                        }
                    }
                    Err(error) => {
                        let message = format!("cannot read {}: {error}", path.display());
                        self.report(target.origin.use_place(), INVALID_EXTENDS, message);
                        None
                    }
                }
            }
            None => {
                if services.get(&reference).is_none() {
                    let message = format!("service `{reference}` not found");
                    self.report(value.origin.use_place(), INVALID_EXTENDS, message);
                    None
                } else {
                    self.resolve_target(file, services, &reference, chain, context, at)
                }
            }
        };
        chain.pop();
        let Some(base) = base else { return Some(service) };
        let mut base = normalize_at(base, &["services", "*"]).unwrap_or_else(|| empty_map(file));
        base.add_via(&Via::Extends { at });
        Some(extend_service(base, service))
    }

    fn resolve_target(
        &mut self,
        file: FileId,
        services: &Value,
        reference: &str,
        chain: &mut Vec<(FileId, String)>,
        context: &Context,
        at: Place,
    ) -> Option<Value> {
        if chain.iter().any(|(f, n)| *f == file && n == reference) {
            let mut names: Vec<String> = chain.iter().map(|(f, n)| self.service_label(*f, n)).collect();
            names.push(self.service_label(file, reference));
            self.report(at, INVALID_EXTENDS, format!("`extends` cycle: {}", names.join(" → ")));
            return None;
        }
        self.resolve_service(file, services, reference, chain, context)
    }

    fn service_label(&self, file: FileId, name: &str) -> String {
        let path = self.path_of(file);
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        format!("{name} ({file_name})")
    }
}

/// One `include` entry: `- path` or `- {path: p | [p…], project_directory: d, env_file: e | [e…]}`.
struct IncludeSpec {
    paths: Vec<String>,
    project_directory: Option<String>,
    env_files: Vec<String>,
}

impl IncludeSpec {
    fn read(item: &Value) -> Option<IncludeSpec> {
        let strings = |v: &Value| -> Option<Vec<String>> {
            match &v.kind {
                ValueKind::Scalar(s) if !v.is_null() => Some(vec![s.text.clone()]),
                ValueKind::Seq(items) => items.iter().map(|i| i.as_str().map(str::to_owned)).collect(),
                _ => None,
            }
        };
        match &item.kind {
            ValueKind::Scalar(_) => {
                Some(IncludeSpec { paths: strings(item)?, project_directory: None, env_files: vec![] })
            }
            ValueKind::Map(_) => {
                let paths = strings(item.get("path")?)?;
                if paths.is_empty() {
                    return None;
                }
                let project_directory = item.get("project_directory").and_then(Value::as_str).map(str::to_owned);
                let env_files = item.get("env_file").and_then(strings).unwrap_or_default();
                Some(IncludeSpec { paths, project_directory, env_files })
            }
            ValueKind::Seq(_) => None,
        }
    }
}

/// A bare `environment` key (`- DEBUG`, `DEBUG:`) takes its value from the project's variables when they set
/// it, as Compose resolves it; the value points at the key and records the variable it came from. Keys the
/// variables do not set stay without a value.
fn resolve_bare_environment(root: &mut Value, vars: &BTreeMap<String, String>) {
    let Some(ValueKind::Map(services)) = root.get_mut("services").map(|s| &mut s.kind) else { return };
    for service in services.iter_mut() {
        let Some(environment) = service.value.get_mut("environment") else { continue };
        let resolved = |key: &str, origin: &super::tree::Origin| {
            let value = vars.get(key)?;
            let via = Via::Interpolation { variable: key.to_owned(), value: Some(value.clone()) };
            Some((value.clone(), origin.clone().with(via)))
        };
        match &mut environment.kind {
            ValueKind::Map(entries) => {
                for entry in entries.iter_mut().filter(|e| e.value.is_null()) {
                    if let Some((value, origin)) = resolved(&entry.key, &entry.key_origin) {
                        let scalar = super::tree::Scalar { text: value, quoted: true };
                        entry.value = Value { kind: ValueKind::Scalar(scalar), origin, tag: None };
                    }
                }
            }
            ValueKind::Seq(items) => {
                for item in items.iter_mut() {
                    let Some(key) = item.as_str().filter(|t| !t.is_empty() && !t.contains('=')).map(str::to_owned)
                    else {
                        continue;
                    };
                    if let Some((value, origin)) = resolved(&key, &item.origin) {
                        let scalar = super::tree::Scalar { text: format!("{key}={value}"), quoted: true };
                        *item = Value { kind: ValueKind::Scalar(scalar), origin, tag: item.tag.take() };
                    }
                }
            }
            ValueKind::Scalar(_) => {}
        }
    }
}

fn empty_map(file: FileId) -> Value {
    Value { kind: ValueKind::Map(Vec::new()), origin: super::tree::Origin::new(file, TextRange::empty(0)), tag: None }
}

fn remove_key(value: &mut Value, key: &str) {
    if let ValueKind::Map(entries) = &mut value.kind {
        entries.retain(|e| e.key != key);
    }
}

/// Whether two values hold the same content, wherever they were written.
fn same_content(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (ValueKind::Scalar(x), ValueKind::Scalar(y)) => x == y,
        (ValueKind::Seq(x), ValueKind::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_content(p, q))
        }
        (ValueKind::Map(x), ValueKind::Map(y)) => {
            x.len() == y.len() && x.iter().all(|e| y.iter().any(|f| f.key == e.key && same_content(&e.value, &f.value)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
