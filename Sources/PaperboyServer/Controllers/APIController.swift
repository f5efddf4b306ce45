import Hummingbird

struct APIController {
    let catalog: PaperCatalog
    let settings: ServerSettings

    func register(on router: Router<AppRequestContext>) {}
}
