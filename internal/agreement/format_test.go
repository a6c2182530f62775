package agreement

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestMoneyFormat(t *testing.T) {
	tests := []struct {
		lang, in, want string
	}{
		{"eng", "12500", "12,500.00"},
		{"eng", "1234567.891", "1,234,567.89"},
		{"eng", "0.005", "0.01"}, // half away from zero
		{"eng", "999.994", "999.99"},
		{"eng", "100", "100.00"},
		{"eng", "-1500.5", "-1,500.50"},
		{"ron", "12500", "12.500,00"},
		{"rus", "12500", "12\u00a0500,00"},
		{"sqi", "1000000", "1\u00a0000\u00a0000,00"},
		{"mkd", "12500.5", "12.500,50"},
		{"bos", "999", "999,00"},
		{"bul", "1000", "1\u00a0000,00"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, languages[tt.lang].numbers.money(decimal.RequireFromString(tt.in)))
		})
	}
}

func TestPercentFormat(t *testing.T) {
	require.Equal(t, "24.50%", languages["eng"].numbers.percent(decimal.RequireFromString("24.5")))
	require.Equal(t, "24,50\u00a0%", languages["ron"].numbers.percent(decimal.RequireFromString("24.5")))
	require.Equal(t, "31,57\u00a0%", languages["bul"].numbers.percent(decimal.RequireFromString("31.5678")))
}

func TestDateFormat(t *testing.T) {
	require.Equal(t, "05.03.2026", formatDate(time.Date(2026, time.March, 5, 23, 59, 0, 0, time.UTC)))
}

func TestMonthsPlural(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"eng", 1, "1 month"}, {"eng", 12, "12 months"},
		{"ron", 1, "1 lună"}, {"ron", 6, "6 luni"}, {"ron", 19, "19 luni"}, {"ron", 20, "20 de luni"},
		{"ron", 24, "24 de luni"}, {"ron", 100, "100 de luni"}, {"ron", 105, "105 luni"}, {"ron", 120, "120 de luni"},
		{"rus", 1, "1 месяц"}, {"rus", 3, "3 месяца"}, {"rus", 5, "5 месяцев"}, {"rus", 11, "11 месяцев"},
		{"rus", 12, "12 месяцев"}, {"rus", 21, "21 месяц"}, {"rus", 24, "24 месяца"}, {"rus", 36, "36 месяцев"},
		{"rus", 111, "111 месяцев"}, {"rus", 112, "112 месяцев"},
		{"sqi", 1, "1 muaj"}, {"sqi", 24, "24 muaj"},
		{"mkd", 1, "1 месец"}, {"mkd", 12, "12 месеци"},
		{"bos", 1, "1 mjesec"}, {"bos", 4, "4 mjeseca"}, {"bos", 12, "12 mjeseci"}, {"bos", 21, "21 mjesec"},
		{"bos", 22, "22 mjeseca"}, {"bos", 14, "14 mjeseci"},
		{"bul", 1, "1 месец"}, {"bul", 12, "12 месеца"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, normalizeSpace(languages[tt.lang].months(tt.n)))
		})
	}
}
