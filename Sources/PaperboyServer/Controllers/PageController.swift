import Hummingbird

struct PageController {
    let catalog: PaperCatalog
    let views: Views

    func register(on router: Router<AppRequestContext>) {}
}
