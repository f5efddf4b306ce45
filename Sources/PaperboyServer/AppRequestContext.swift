import Hummingbird

/// The request context of every route: Hummingbird's basic one (the request's logger and
/// route parameters) is all the app needs; readers and sessions come with accounts.
public typealias AppRequestContext = BasicRequestContext
