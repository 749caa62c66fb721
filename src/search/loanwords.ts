/**
 * Korean words for English technical words: loanwords spelled in Hangul
 * (`모니터링` is `monitoring`, `머신러닝` is `machine learning`) and the
 * native terms in common use (`보안` is `security`). Korean notes write
 * these words either way, often both in one post (a talk titled `Coroutine`
 * with notes on `코루틴`), so a search for one finds the other.
 *
 * Not technologies: the catalog names products and languages (`쿠버네티스`
 * is Kubernetes) and links mentions to them; these are the ordinary words
 * of the field around them, which the catalog must not link (`람다` is a
 * Java lambda as often as AWS Lambda). So they live here, as search
 * synonyms only, in the manner of a search engine's synonym file.
 *
 * Written by hand from the common vocabulary of Korean developer writing
 * (conference notes, blog posts, job ads), one entry per concept, with the
 * spelling variants in use (`아키텍처`, `아키텍쳐`). Words whose Hangul
 * spelling is also an everyday word or ending are left out (`큐`, `배치`
 * for placement, `인가` as a question ending). No library or public list
 * holds this pairing.
 */

/** One concept: its English words and its Korean spellings. */
interface Loanword {
  readonly english: readonly string[]
  readonly korean: readonly string[]
}

const entries: readonly Loanword[] = [
  { english: ['monitoring'], korean: ['모니터링'] },
  { english: ['microservice'], korean: ['마이크로서비스'] },
  { english: ['machine learning'], korean: ['머신러닝', '머신 러닝'] },
  { english: ['deep learning'], korean: ['딥러닝', '딥 러닝'] },
  { english: ['big data'], korean: ['빅데이터', '빅 데이터'] },
  { english: ['coroutine'], korean: ['코루틴'] },
  { english: ['lambda'], korean: ['람다'] },
  { english: ['test', 'testing'], korean: ['테스트', '테스팅'] },
  { english: ['platform'], korean: ['플랫폼'] },
  { english: ['architecture'], korean: ['아키텍처', '아키텍쳐'] },
  { english: ['database'], korean: ['데이터베이스'] },
  { english: ['cache', 'caching'], korean: ['캐시', '캐싱'] },
  { english: ['cloud'], korean: ['클라우드'] },
  { english: ['container'], korean: ['컨테이너'] },
  { english: ['serverless'], korean: ['서버리스'] },
  { english: ['server'], korean: ['서버'] },
  { english: ['pipeline'], korean: ['파이프라인'] },
  { english: ['framework'], korean: ['프레임워크'] },
  { english: ['library'], korean: ['라이브러리'] },
  { english: ['application'], korean: ['애플리케이션', '어플리케이션'] },
  { english: ['interface'], korean: ['인터페이스'] },
  { english: ['service'], korean: ['서비스'] },
  { english: ['network'], korean: ['네트워크'] },
  { english: ['security'], korean: ['보안', '시큐리티'] },
  { english: ['performance'], korean: ['퍼포먼스'] },
  { english: ['refactoring'], korean: ['리팩토링', '리팩터링'] },
  { english: ['deployment', 'deploy'], korean: ['디플로이', '디플로이먼트'] },
  { english: ['migration'], korean: ['마이그레이션'] },
  { english: ['streaming'], korean: ['스트리밍'] },
  { english: ['message'], korean: ['메시지', '메세지'] },
  { english: ['event'], korean: ['이벤트'] },
  { english: ['log', 'logging'], korean: ['로그', '로깅'] },
  { english: ['tracing'], korean: ['트레이싱'] },
  { english: ['observability'], korean: ['옵저버빌리티', '관측 가능성'] },
  { english: ['scaling', 'scale'], korean: ['스케일링', '스케일'] },
  { english: ['cluster'], korean: ['클러스터'] },
  { english: ['node'], korean: ['노드'] },
  { english: ['algorithm'], korean: ['알고리즘'] },
  { english: ['model'], korean: ['모델'] },
  { english: ['training'], korean: ['트레이닝'] },
  { english: ['inference'], korean: ['인퍼런스'] },
  { english: ['artificial intelligence'], korean: ['인공지능'] },
  { english: ['data science'], korean: ['데이터 사이언스', '데이터사이언스'] },
  { english: ['data scientist'], korean: ['데이터 사이언티스트', '데이터사이언티스트'] },
  { english: ['data engineering'], korean: ['데이터 엔지니어링', '데이터엔지니어링'] },
  { english: ['data pipeline'], korean: ['데이터 파이프라인'] },
  { english: ['analytics'], korean: ['애널리틱스'] },
  { english: ['dashboard'], korean: ['대시보드'] },
  { english: ['visualization'], korean: ['시각화', '비주얼라이제이션'] },
  { english: ['query'], korean: ['쿼리'] },
  { english: ['index'], korean: ['인덱스'] },
  { english: ['transaction'], korean: ['트랜잭션'] },
  { english: ['schema'], korean: ['스키마'] },
  { english: ['scheduler', 'scheduling'], korean: ['스케줄러', '스케줄링'] },
  { english: ['workflow'], korean: ['워크플로', '워크플로우'] },
  { english: ['automation'], korean: ['자동화'] },
  { english: ['infrastructure'], korean: ['인프라', '인프라스트럭처'] },
  { english: ['devops'], korean: ['데브옵스'] },
  { english: ['agile'], korean: ['애자일'] },
  { english: ['scrum'], korean: ['스크럼'] },
  { english: ['sprint'], korean: ['스프린트'] },
  { english: ['retrospective'], korean: ['회고'] },
  { english: ['code review'], korean: ['코드 리뷰', '코드리뷰'] },
  { english: ['pair programming'], korean: ['페어 프로그래밍', '페어프로그래밍'] },
  { english: ['open source'], korean: ['오픈소스', '오픈 소스'] },
  { english: ['community'], korean: ['커뮤니티'] },
  { english: ['mentoring', 'mentor'], korean: ['멘토링', '멘토'] },
  { english: ['career'], korean: ['커리어'] },
  { english: ['junior'], korean: ['주니어'] },
  { english: ['senior'], korean: ['시니어'] },
  { english: ['developer'], korean: ['개발자', '디벨로퍼'] },
  { english: ['engineer'], korean: ['엔지니어'] },
  { english: ['designer'], korean: ['디자이너'] },
  { english: ['design pattern'], korean: ['디자인 패턴', '디자인패턴'] },
  { english: ['design system'], korean: ['디자인 시스템', '디자인시스템'] },
  { english: ['design'], korean: ['디자인'] },
  { english: ['prototype', 'prototyping'], korean: ['프로토타입', '프로토타이핑'] },
  { english: ['frontend', 'front-end'], korean: ['프론트엔드', '프런트엔드'] },
  { english: ['backend', 'back-end'], korean: ['백엔드'] },
  { english: ['full stack', 'fullstack'], korean: ['풀스택'] },
  { english: ['mobile'], korean: ['모바일'] },
  { english: ['browser'], korean: ['브라우저'] },
  { english: ['rendering'], korean: ['렌더링'] },
  { english: ['component'], korean: ['컴포넌트'] },
  { english: ['state management'], korean: ['상태 관리', '상태관리'] },
  { english: ['animation'], korean: ['애니메이션'] },
  { english: ['accessibility'], korean: ['접근성'] },
  { english: ['responsive'], korean: ['반응형'] },
  { english: ['plugin'], korean: ['플러그인'] },
  { english: ['compiler'], korean: ['컴파일러'] },
  { english: ['runtime'], korean: ['런타임'] },
  { english: ['virtual machine'], korean: ['가상 머신', '가상머신'] },
  { english: ['garbage collection'], korean: ['가비지 컬렉션', '가비지컬렉션'] },
  { english: ['memory'], korean: ['메모리'] },
  { english: ['thread'], korean: ['스레드', '쓰레드'] },
  { english: ['concurrency'], korean: ['동시성'] },
  { english: ['asynchronous', 'async'], korean: ['비동기'] },
  { english: ['reactive'], korean: ['리액티브'] },
  { english: ['functional programming'], korean: ['함수형 프로그래밍'] },
  { english: ['object oriented'], korean: ['객체지향', '객체 지향'] },
  { english: ['type system'], korean: ['타입 시스템'] },
  { english: ['type safe', 'type safety'], korean: ['타입 세이프', '타입 안전'] },
  { english: ['generic'], korean: ['제네릭'] },
  { english: ['immutable'], korean: ['불변'] },
  { english: ['dependency injection'], korean: ['의존성 주입'] },
  { english: ['clean architecture'], korean: ['클린 아키텍처', '클린아키텍처'] },
  { english: ['domain driven design'], korean: ['도메인 주도 설계'] },
  { english: ['unit test'], korean: ['단위 테스트', '유닛 테스트', '유닛테스트'] },
  { english: ['integration test'], korean: ['통합 테스트'] },
  { english: ['test automation'], korean: ['테스트 자동화'] },
  { english: ['continuous integration'], korean: ['지속적 통합'] },
  { english: ['continuous delivery'], korean: ['지속적 배포', '지속적 전달'] },
  { english: ['version control'], korean: ['버전 관리'] },
  { english: ['release'], korean: ['릴리스', '릴리즈'] },
  { english: ['build'], korean: ['빌드'] },
  { english: ['debugging', 'debug'], korean: ['디버깅'] },
  { english: ['profiling'], korean: ['프로파일링'] },
  { english: ['benchmark'], korean: ['벤치마크'] },
  { english: ['optimization'], korean: ['최적화'] },
  { english: ['latency'], korean: ['레이턴시', '지연 시간'] },
  { english: ['throughput'], korean: ['처리량'] },
  { english: ['traffic'], korean: ['트래픽'] },
  {
    english: ['load balancer', 'load balancing'],
    korean: ['로드 밸런서', '로드밸런서', '로드 밸런싱'],
  },
  { english: ['proxy'], korean: ['프록시'] },
  { english: ['gateway'], korean: ['게이트웨이'] },
  { english: ['authentication'], korean: ['인증'] },
  { english: ['encryption'], korean: ['암호화'] },
  { english: ['privacy'], korean: ['개인정보'] },
  { english: ['startup'], korean: ['스타트업'] },
  { english: ['product'], korean: ['프로덕트', '제품'] },
  { english: ['user experience'], korean: ['사용자 경험'] },
  { english: ['keynote'], korean: ['키노트', '기조연설'] },
  { english: ['session'], korean: ['세션'] },
  { english: ['conference'], korean: ['컨퍼런스', '콘퍼런스'] },
  { english: ['meetup'], korean: ['밋업'] },
  { english: ['workshop'], korean: ['워크숍', '워크샵'] },
  { english: ['hackathon'], korean: ['해커톤'] },
  { english: ['seminar'], korean: ['세미나'] },
  { english: ['recommendation'], korean: ['추천'] },
  { english: ['search'], korean: ['검색'] },
  { english: ['search engine'], korean: ['검색 엔진', '검색엔진'] },
  { english: ['chatbot'], korean: ['챗봇'] },
  { english: ['large language model'], korean: ['거대 언어 모델', '대규모 언어 모델'] },
  { english: ['natural language processing'], korean: ['자연어 처리', '자연어처리'] },
  { english: ['computer vision'], korean: ['컴퓨터 비전'] },
  { english: ['game'], korean: ['게임'] },
  { english: ['blockchain'], korean: ['블록체인'] },
  { english: ['embedded'], korean: ['임베디드'] },
  { english: ['robot', 'robotics'], korean: ['로봇', '로보틱스'] },
  { english: ['internet of things'], korean: ['사물인터넷', '사물 인터넷'] },
]

/** Lookup of the other spellings of a folded word or words, each as written in the table. */
const byWords: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>()
  for (const entry of entries) {
    const all = [...entry.english, ...entry.korean]
    for (const spelling of all) {
      const key = spelling.normalize('NFKC').toLowerCase()
      const list = map.get(key) ?? []
      for (const other of all) if (other !== spelling && !list.includes(other)) list.push(other)
      map.set(key, list)
    }
  }
  return map
})()

/** Most words in one spelling of the table (`natural language processing`). */
export const maxLoanwordWords = 3

/**
 * The other spellings of a word or words: English for a Korean spelling and
 * the reverse, with the variants of each.
 *
 * @param words
 *   One to `maxLoanwordWords` words, folded, joined by single spaces; a
 *   Hangul word without its particle.
 * @returns
 *   The other spellings, as written in the table; empty when none.
 */
export function otherSpellings(words: string): readonly string[] {
  return byWords.get(words) ?? []
}
