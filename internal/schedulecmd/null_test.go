package schedulecmd

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// everyField is a valid request that sets every field of the contract, top level and nested, to
// something other than its default.
const everyField = `{"principal":"5000.00","disbursement_date":"2022-11-01","first_repayment_date":"2022-12-05",
 "number_of_repayments":6,"repayment_every":1,"repayment_frequency":"months",
 "interest_rate":"12","interest_rate_frequency":"years",
 "interest_method":"flat","amortization":"equal_principal",
 "interest_calculation_period":"daily","allow_partial_period_interest":false,
 "days_in_year":"365","days_in_month":"30",
 "grace_on_principal":1,"grace_on_interest_payment":1,"grace_on_interest_charged":1,
 "currency":{"code":"EUR","decimal_places":2,"in_multiples_of":5},
 "installment_in_multiples_of":1,"rounding_mode":"half_up","engine":"cumulative",
 "disbursements":[{"date":"2022-11-01","amount":"5000.00"}],"down_payment_percent":"10",
 "fixed_principal_percentage":"20","schedule_start_date":"2022-10-25",
 "fees":[{"type":"monthly","calculation":"percent_of_principal","amount":"0.5","deducted":false}]}`

// TestNullMeansUnset sends every field of the contract as null and, separately, leaves it out: the
// two requests must get the same answer, byte for byte. An optional field then takes its default and
// the schedule is computed; a required one is reported as missing.
func TestNullMeansUnset(t *testing.T) {
	withoutTranches := func(req map[string]any) { delete(req, "disbursements") }
	cases := []struct {
		path     string
		base     func(map[string]any) // adjusts everyField first, when the field is only optional in some requests
		required bool
	}{
		{path: "principal"},
		{path: "principal", base: withoutTranches, required: true},
		{path: "disbursement_date"},
		{path: "disbursement_date", base: withoutTranches, required: true},
		{path: "first_repayment_date"},
		{path: "number_of_repayments", required: true},
		{path: "repayment_every"},
		{path: "repayment_frequency"},
		{path: "interest_rate"},
		{path: "interest_rate_frequency"},
		{path: "interest_method"},
		{path: "amortization"},
		{path: "interest_calculation_period"},
		{path: "allow_partial_period_interest"},
		{path: "days_in_year"},
		{path: "days_in_month"},
		{path: "grace_on_principal"},
		{path: "grace_on_interest_payment"},
		{path: "grace_on_interest_charged"},
		{path: "currency"},
		{path: "currency.code"},
		{path: "currency.decimal_places"},
		{path: "currency.in_multiples_of"},
		{path: "installment_in_multiples_of"},
		{path: "rounding_mode"},
		{path: "engine"},
		{path: "disbursements"},
		{path: "disbursements[0].date", required: true},
		{path: "disbursements[0].amount", required: true},
		{path: "down_payment_percent"},
		{path: "fixed_principal_percentage"},
		{path: "schedule_start_date"},
		{path: "fees"},
		{path: "fees[0].type", required: true},
		{path: "fees[0].calculation"},
		{path: "fees[0].amount", required: true},
		{path: "fees[0].deducted"},
	}

	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.path] = true
	}
	contract := slices.Sorted(maps.Keys(fields))
	for prefix, nested := range map[string][]string{"currency.": currencyFields, "disbursements[0].": disbursementFields, "fees[0].": feeFields} {
		for _, name := range nested {
			contract = append(contract, prefix+name)
		}
	}
	for _, name := range contract {
		require.True(t, covered[name], "field %s of the contract has no case", name)
	}

	for _, tc := range cases {
		name := tc.path
		if tc.base != nil {
			name += " without disbursements"
		}
		t.Run(name, func(t *testing.T) {
			nulled, omitted := request(t, tc.base), request(t, tc.base)
			setPath(t, nulled, tc.path, true)
			setPath(t, omitted, tc.path, false)

			codeNull, outNull, errNull := runJSON(t, nulled)
			codeOmitted, outOmitted, errOmitted := runJSON(t, omitted)
			require.Equal(t, codeOmitted, codeNull)
			require.Equal(t, outOmitted, outNull)
			require.Equal(t, errOmitted, errNull)

			if !tc.required {
				require.Equal(t, ExitOK, codeNull, "%s", errNull)
				return
			}
			require.Equal(t, ExitInvalid, codeNull)
			var prob Problem
			require.NoError(t, json.Unmarshal([]byte(errNull), &prob))
			require.Len(t, prob.Errors, 1, "%+v", prob.Errors)
			require.Equal(t, tc.path, prob.Errors[0].Field)
			require.Contains(t, prob.Errors[0].Message, "is required")
		})
	}
}

func request(t *testing.T, adjust func(map[string]any)) map[string]any {
	t.Helper()
	var req map[string]any
	require.NoError(t, json.Unmarshal([]byte(everyField), &req))
	if adjust != nil {
		adjust(req)
	}
	return req
}

// setPath sets the field at path ("fees[0].amount") to null, or removes it.
func setPath(t *testing.T, req map[string]any, path string, null bool) {
	t.Helper()
	obj := req
	parts := strings.Split(path, ".")
	for _, part := range parts[:len(parts)-1] {
		if list, ok := strings.CutSuffix(part, "[0]"); ok {
			items, isList := obj[list].([]any)
			require.True(t, isList, "%s is not a list", list)
			obj = items[0].(map[string]any)
			continue
		}
		obj = obj[part].(map[string]any)
	}
	last := parts[len(parts)-1]
	_, present := obj[last]
	require.True(t, present, "%s is not in the request", path)
	if null {
		obj[last] = nil
	} else {
		delete(obj, last)
	}
}

func runJSON(t *testing.T, req map[string]any) (int, string, string) {
	t.Helper()
	body, err := json.Marshal(req)
	require.NoError(t, err)
	var stdout, stderr bytes.Buffer
	code := Run(bytes.NewReader(body), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}
