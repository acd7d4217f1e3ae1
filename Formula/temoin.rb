# Homebrew formula for temoin, built from source (Formula/ makes this repository a tap).
#
# NOT TESTED: it was written on Debian, where neither macOS nor Homebrew is available
# (docs/PORTABILITY.md). The repository has no public release address yet, so the formula builds
# the HEAD of the repository it is tapped from (and has no `homepage`, which `brew audit` will say):
#
#   brew tap temoin/local /path/to/temoin
#   brew install --HEAD temoin/local/temoin
class Temoin < Formula
  desc "Record failed prefecture booking attempts as evidence for a French court"
  license "Apache-2.0"
  head "file://#{File.expand_path("..", __dir__)}", using: :git, branch: "main"

  depends_on "pkgconf" => :build
  depends_on xcode: ["16.0", :build] # Swift 6
  depends_on "cairo"
  depends_on "curl"
  depends_on "libdeflate"
  depends_on "libxml2"
  depends_on "pango"
  depends_on "sqlite"

  def install
    %w[libxml2 sqlite curl].each do |f|
      ENV.prepend_path "PKG_CONFIG_PATH", Formula[f].opt_lib/"pkgconfig"
    end
    system "make", "bundle-docs"
    system "swift", "build", "--disable-sandbox", "-c", "release", "--product", "temoin"
    bin.install ".build/release/temoin"
    # temoin finds its files in ../share/temoin/Resources (Sources/TemoinKit/Platform/Installation.swift).
    (share/"temoin/Resources").install Dir["Sources/TemoinKit/Resources/*"]
    system "scripts/install-docs.sh", bin/"temoin", prefix
  end

  test do
    assert_match(/\A\d+\.\d+\.\d+\Z/, shell_output("#{bin}/temoin --version").strip)
    system bin/"temoin", "init", "--store", testpath/"t.sqlite", "--applicant", "Test",
           "--prefecture", "Préfecture", "--procedure", "Titre de séjour",
           "--booking-url", "https://www.example.org/booking/create/1/0"
    system bin/"temoin", "verify", "--store", testpath/"t.sqlite"
  end
end
