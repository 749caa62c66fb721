/** What GraphiQL shows first: a query that answers the questions people come with. */

/**
 * The query GraphiQL opens on: technologies with their talks, and the talks
 * that mention one technology. Run either by name.
 */
export const defaultQuery = `# Welcome to content-graph: conference notes as a graph.
# Press the run button and pick a query, or explore the Docs panel.

# Which technologies come up most, and in which talks?
query TechnologiesAndTheirTalks {
  technologies(first: 10) {
    totalCount
    nodes {
      name
      category
      mentionCount
      talks(first: 5) {
        nodes {
          number
          title
          post {
            title
          }
        }
      }
    }
  }
}

# Which talks mentioned Spark? Aliases work too: "k8s", "쿠버네티스".
query TalksAboutSpark {
  talks(filter: { technology: "spark" }) {
    totalCount
    nodes {
      number
      title
      post {
        title
        slug
      }
      bullets(first: 5, depth: 0) {
        nodes {
          text
        }
      }
    }
  }
}
`
