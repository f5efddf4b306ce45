import Foundation
import PaperboyCore
import PaperboyServer
import PaperboyTesting
import Testing

/// "For you" over real papers embedded by the real model: a reader who saved a few papers on
/// one topic is recommended more of that topic, each with a reason naming one of their saved
/// papers; saved papers never come back; a new library revision is trained in the
/// background while a request answers at once with what there is.
@Suite(.serialized) struct RecommendationsTests {
    typealias Fixture = RecommendationsFixture

    @Test func aReaderWhoSavedPapersOnOneTopicIsRecommendedThatTopicWithReasons() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        let experts = try Fixture.mixtureOfExperts.map(fixture.paper)
        let diffusion = try Fixture.diffusion.map(fixture.paper)
        let library = Fixture.library(revision: 1, [("MoE", experts), ("diffusion", diffusion)])
        let forYou = try await ReaderRecommendations(catalog: catalog).preparedForYou(library)

        #expect(forYou.isCurrent)
        #expect(forYou.sections.map(\.tag) == ["MoE", "diffusion"])
        for (section, saved, isOnTopic) in [(forYou.sections[0], experts, Fixture.isAboutExperts),
                                            (forYou.sections[1], diffusion, Fixture.isAboutDiffusion)] {
            let top = section.recommendations.papers.prefix(5)
            #expect(top.count == 5)
            let onTopic = top.filter { isOnTopic($0.paper) }
            #expect(onTopic.count >= 4, "\(section.tag): \(top.map(\.paper.title))")
            for recommended in section.recommendations.papers {
                let named = try #require(saved.first { $0.id == recommended.like }, "the reason names an unsaved paper")
                #expect(recommended.likeTitle == named.title)
                #expect(recommended.tag == section.tag)
            }
        }
    }

    @Test func noSavedPaperIsRecommendedUnderAnyTag() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        let experts = try Fixture.mixtureOfExperts.map(fixture.paper)
        let diffusion = try Fixture.diffusion.map(fixture.paper)
        // The MoE papers left out of the tag are saved under another one: still never recommended.
        let toRead = try ["Read-ME", "A Survey on Inference Optimization Techniques for Mixture of Experts",
                          "Demons in the Detail", "Scalable and Efficient MoE Training"].map(fixture.paper)
        let library = Fixture.library(revision: 7, [("MoE", experts), ("diffusion", diffusion), ("to read", toRead)])
        var settings = ReaderRecommendations.Settings()
        settings.depth = 100
        let forYou = try await ReaderRecommendations(catalog: catalog, settings: settings).preparedForYou(library)
        let saved = Set((experts + diffusion + toRead).map(\.id))
        for section in forYou.sections {
            #expect(section.recommendations.papers.count == 100)
            #expect(section.recommendations.papers.allSatisfy { !saved.contains($0.paper.id) })
        }
    }

    @Test func savingAnotherPaperRetrainsForTheNewRevision() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        let experts = try Fixture.mixtureOfExperts.map(fixture.paper)
        let recommendations = ReaderRecommendations(catalog: catalog)
        let first = try await recommendations.preparedForYou(Fixture.library(revision: 1, [("MoE", Array(experts.prefix(2)))]))
        let best = try #require(first.sections.first?.recommendations.papers.first)

        // The reader saves the best recommendation: revision 2 no longer lists it, and its
        // reasons may name it.
        let second = try await recommendations.preparedForYou(
            Fixture.library(revision: 2, [("MoE", Array(experts.prefix(2)) + [best.paper])]))
        let section = try #require(second.sections.first)
        #expect(second.revision == 2 && section.status == .current)
        #expect(!section.recommendations.papers.contains { $0.paper.id == best.paper.id })
        #expect(Set(section.recommendations.papers.map(\.like)).isSubset(of: Set(experts.prefix(2).map(\.id) + [best.paper.id])))
        #expect(section.recommendations.papers.map(\.paper.id) != first.sections[0].recommendations.papers.map(\.paper.id))
    }

    @Test func aRequestDuringTrainingAnswersAtOnceWithWhatThereIs() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        let experts = try Fixture.mixtureOfExperts.map(fixture.paper)
        var settings = ReaderRecommendations.Settings()
        settings.answerWithin = .zero
        let recommendations = ReaderRecommendations(catalog: catalog, settings: settings)
        let first = Fixture.library(revision: 1, [("MoE", Array(experts.prefix(3)))])

        // Nothing trained yet: the request does not wait for the candidates and the model.
        let clock = ContinuousClock()
        let start = clock.now
        let cold = try await recommendations.forYou(first)
        #expect(clock.now - start < .milliseconds(500))
        #expect(cold.sections.map(\.status) == [.preparing])
        #expect(cold.sections.allSatisfy { $0.recommendations.papers.isEmpty })

        let trained = try await recommendations.preparedForYou(first)
        #expect(trained.sections.map(\.status) == [.current])
        #expect(try await recommendations.forYou(first).sections.map(\.recommendations) == trained.sections.map(\.recommendations))

        // A new revision: the previous model's answer at once, marked as being updated; the
        // new model's once it is ready.
        let second = Fixture.library(revision: 2, [("MoE", experts)])
        let during = try await recommendations.forYou(second)
        #expect(during.sections.map(\.status) == [.updating])
        #expect(during.sections.map(\.recommendations) == trained.sections.map(\.recommendations))
        let after = try await recommendations.preparedForYou(second)
        #expect(after.sections.map(\.status) == [.current])
        #expect(after.sections[0].recommendations.papers.allSatisfy { paper in !experts.contains { $0.id == paper.paper.id } })
    }

    @Test func aNewPaperOnTheTopicJoinsTheCandidatesWhenTheCatalogMovesOn() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        let experts = try Fixture.mixtureOfExperts.map(fixture.paper)
        var settings = ReaderRecommendations.Settings()
        settings.poolRefreshInterval = .zero
        let recommendations = ReaderRecommendations(catalog: catalog, settings: settings)
        let library = Fixture.library(revision: 1, [("MoE", experts)])
        _ = try await recommendations.preparedForYou(library)

        let news = SamplePapers.arxiv(
            "2606.05555", title: "Routing tokens to sparse experts: load-balanced mixture-of-experts layers for language models",
            abstract: "Mixture-of-experts language models route each token to a few expert feed-forward networks. We study router designs and auxiliary load-balancing losses that keep experts specialized and evenly used, and scale sparse MoE models to many experts at the compute cost of a dense model.",
            published: SamplePapers.date("2026-06-12T10:00:00"))
        try await fixture.add(news, to: catalog)
        let after = try await recommendations.preparedForYou(library)
        #expect(after.sections[0].status == .current)
        #expect(after.sections[0].recommendations.papers.prefix(3).contains { $0.paper.id == news.id })
    }

    @Test func savedPapersOutsideTheCandidatesStillTrainTheirTag() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        var settings = ReaderRecommendations.Settings()
        settings.poolSize = 120
        let experts = try Fixture.mixtureOfExperts.map(fixture.paper)
        let library = Fixture.library(revision: 1, [("MoE", experts)])
        let newest = Set(try await catalog.store.papers(matching: PaperQuery(limit: 120)).map(\.id))
        #expect(experts.contains { !newest.contains($0.id) }, "the test needs a saved paper outside the pool")

        let section = try #require(try await ReaderRecommendations(catalog: catalog, settings: settings)
            .preparedForYou(library).sections.first)
        #expect(section.recommendations.papers.count == settings.depth)
        #expect(section.recommendations.papers.allSatisfy { newest.contains($0.paper.id) })
        #expect(section.recommendations.papers.allSatisfy { paper in experts.contains { $0.id == paper.like } })
    }

    @Test func aDigestGetsTheTopPapersOfEachTagWithReasonTitles() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        let experts = try Fixture.mixtureOfExperts.map(fixture.paper)
        let diffusion = try Fixture.diffusion.map(fixture.paper)
        let library = Fixture.library(revision: 3, [("MoE", experts), ("diffusion", diffusion)])
        let recommendations = ReaderRecommendations(catalog: catalog)
        let picks = try await recommendations.recommendations(for: library, perTag: 3)
        let page = try await recommendations.preparedForYou(library)
        #expect(picks.map(\.tag) == ["MoE", "diffusion"])
        #expect(picks.map(\.papers) == page.sections.map { Array($0.recommendations.papers.prefix(3)) })
        let titles = Set((experts + diffusion).map(\.title))
        #expect(picks.allSatisfy { $0.papers.count == 3 && $0.papers.allSatisfy { titles.contains($0.likeTitle) } })
    }

    /// A library of 300 saved papers in three tags, most of them outside a pool of the 100
    /// newest papers, so they join the features for the training: every tag is trained and
    /// ranked within a second, even in a debug build.
    @Test func aLibraryOfThreeHundredPapersTrainsEachTagWithinASecond() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        var settings = ReaderRecommendations.Settings()
        settings.poolSize = 100
        let saved = Array(fixture.papers.prefix(300))
        let library = Fixture.library(revision: 1, [("one", Array(saved[..<100])), ("two", Array(saved[100..<200])),
                                                    ("three", Array(saved[200...]))])
        let forYou = try await ReaderRecommendations(catalog: catalog, settings: settings).preparedForYou(library)
        #expect(forYou.isCurrent)
        for section in forYou.sections {
            let time = try #require(section.trainingTime)
            #expect(time < .seconds(1), "\(section.tag): \(time)")
            #expect(section.recommendations.papers.allSatisfy { paper in !saved.contains { $0.id == paper.paper.id } })
        }
    }
}
