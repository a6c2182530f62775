package encryption

import (
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// Converters are what a Temporal client and its workers need to write and
// read encrypted histories.
type Converters struct {
	Data    converter.DataConverter
	Failure converter.FailureConverter
}

// NewConverters encrypts every payload with keys. Failures' messages and
// stack traces go into an encrypted payload too (EncodeCommonAttributes): a
// provider's refusal can quote what it was sent.
func NewConverters(keys *Keys) Converters {
	dc := converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), NewCodec(keys))
	return Converters{
		Data: dc,
		Failure: temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
			DataConverter:          dc,
			EncodeCommonAttributes: true,
		}),
	}
}
