@main
struct Paperboy {
    static func main() {}
}
