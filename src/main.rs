fn main() {
    std::process::exit(plimsoll::cli::main());
}
