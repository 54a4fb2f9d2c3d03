package index

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// tokenizerName is the tokenizer of every analyser: bleve's unicode
// tokenizer (UAX #29 word boundaries, github.com/blevesearch/segment) with
// a fast path for ASCII words, which gives the same tokens. The
// segmenter is a generic state machine over UTF-8 and was the largest cost
// of building the index and of cutting snippets; most entries are plain
// ASCII English.
const tokenizerName = "stk_unicode"

// asciiTokenizer splits ASCII text as segment's word rules do and hands
// the stretches between spaces that hold other characters to the unicode
// tokenizer. For ASCII, those rules are: letters,
// digits and '_' join; ':' joins two letters; '.' and '\” join two letters
// or two digits; ',' and ';' join two digits; every other byte separates.
// A token without letters and with a digit is Numeric, any other
// AlphaNumeric (tokenizer_test.go checks this against segment).
type asciiTokenizer struct{ fallback *unicode.UnicodeTokenizer }

// byte classes of the ASCII word rules
const (
	clsNone   = iota
	clsLetter // A-Z a-z
	clsDigit  // 0-9
	clsJoin   // '_' (ExtendNumLet)
)

var asciiClass = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = clsLetter, clsLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clsDigit
	}
	t['_'] = clsJoin
	return t
}()

// midJoins reports whether mid, between classes a and b, joins them.
func midJoins(a uint8, mid byte, b uint8) bool {
	switch mid {
	case ':':
		return a == clsLetter && b == clsLetter
	case '.', '\'':
		return a == b && (a == clsLetter || a == clsDigit)
	case ',', ';':
		return a == clsDigit && b == clsDigit
	}
	return false
}

func (t asciiTokenizer) Tokenize(input []byte) analysis.TokenStream {
	if !utf8.Valid(input) {
		return t.fallback.Tokenize(input) // segment stops at the first invalid byte
	}
	// one backing array for the tokens: about one per six bytes
	toks := t.appendTokens(make([]analysis.Token, 0, len(input)/6+1), input)
	out := make(analysis.TokenStream, len(toks))
	for i := range toks {
		out[i] = &toks[i]
	}
	return out
}

// appendTokens appends the tokens of valid UTF-8 input to dst.
func (t asciiTokenizer) appendTokens(dst []analysis.Token, input []byte) []analysis.Token {
	pos := 1
	for i := 0; i < len(input); {
		// An ASCII space or line break always separates words, so each
		// stretch between them is tokenized on its own: by the rules below
		// when it is ASCII, else by the unicode tokenizer.
		if isSpace(input[i]) {
			i++
			continue
		}
		end := i
		ascii := true
		for end < len(input) && !isSpace(input[end]) {
			ascii = ascii && input[end] < 0x80
			end++
		}
		if !ascii {
			for _, tok := range t.fallback.Tokenize(input[i:end:end]) {
				tok.Start += i
				tok.End += i
				tok.Position = pos
				pos++
				dst = append(dst, *tok)
			}
			i = end
			continue
		}
		for i < end {
			cls := asciiClass[input[i]]
			if cls == clsNone {
				i++
				continue
			}
			start := i
			letters, digits := cls == clsLetter, cls == clsDigit
			prev := cls
			i++
			for i < end {
				c := asciiClass[input[i]]
				if c != clsNone {
					letters, digits = letters || c == clsLetter, digits || c == clsDigit
					prev = c
					i++
					continue
				}
				if i+1 < end && midJoins(prev, input[i], asciiClass[input[i+1]]) {
					i += 2 // the joined character is a letter or digit like prev
					continue
				}
				break
			}
			typ := analysis.AlphaNumeric
			if digits && !letters {
				typ = analysis.Numeric
			}
			dst = append(dst, analysis.Token{Term: input[start:i:i], Start: start, End: i, Position: pos, Type: typ})
			pos++
		}
	}
	return dst
}

// isSpace reports whether c is an ASCII space or line break (a word
// boundary on both sides in UAX #29).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func init() {
	err := registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return asciiTokenizer{unicode.NewUnicodeTokenizer()}, nil
	})
	if err != nil {
		panic(err)
	}
}
