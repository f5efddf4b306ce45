import Hummingbird

struct ArxivQueryController {
    let catalog: PaperCatalog
    let settings: ServerSettings

    func register(on router: Router<AppRequestContext>) {}
}
