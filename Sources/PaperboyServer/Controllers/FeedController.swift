import Hummingbird

struct FeedController {
    let catalog: PaperCatalog
    let settings: ServerSettings

    func register(on router: Router<AppRequestContext>) {}
}
