// Korean particles and endings that may follow a technology name: `쿠버네티스를`,
// `스파크로는`. A Hangul alias only matches when what follows it is made of these,
// so `뷰` (Vue) does not match `뷰티`.
const particle =
  '(?:이|가|을|를|은|는|의|에|에서|에게|께|로|으로|와|과|도|만|까지|부터|처럼|보다|랑|이랑|하고|나|이나|라는|이라는|란|이란|같은|기반|이다|입니다|이며|였|이었|엔|에선|로서|으로서|로써|으로써|한테)'

/** Text made only of Korean particles and endings (or nothing). */
export const particles = new RegExp(`^${particle}*$`)
