/// The release of Certus that `certus --version` reports; the one place to change it.
let certusVersion = "0.5.0"
