using AkkaStream.Records.Compression;

namespace AkkaStream.Records.Batches;

/// <summary>
/// The 16-bit attributes of a batch:
/// bits 0-2 compression, bit 3 timestamp type, bit 4 transactional, bit 5 control,
/// bit 6 delete horizon set (baseTimestamp holds the tombstone deadline); the rest unused and kept.
/// </summary>
public readonly record struct BatchAttributes(short Value)
{
    private const int CompressionMask = 0x07;
    private const int TimestampTypeBit = 0x08;
    private const int TransactionalBit = 0x10;
    private const int ControlBit = 0x20;
    private const int DeleteHorizonBit = 0x40;

    public CompressionType Compression => (CompressionType)(Value & CompressionMask);
    public TimestampType TimestampType => (Value & TimestampTypeBit) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;
    public bool IsTransactional => (Value & TransactionalBit) != 0;
    public bool IsControl => (Value & ControlBit) != 0;
    public bool HasDeleteHorizon => (Value & DeleteHorizonBit) != 0;

    public static BatchAttributes Create(
        CompressionType compression,
        TimestampType timestampType = TimestampType.CreateTime,
        bool isTransactional = false,
        bool isControl = false,
        bool hasDeleteHorizon = false)
    {
        var value = (int)compression & CompressionMask;
        if (timestampType == TimestampType.LogAppendTime) value |= TimestampTypeBit;
        if (isTransactional) value |= TransactionalBit;
        if (isControl) value |= ControlBit;
        if (hasDeleteHorizon) value |= DeleteHorizonBit;
        return new BatchAttributes((short)value);
    }

    public BatchAttributes WithTimestampType(TimestampType type) =>
        new((short)(type == TimestampType.LogAppendTime ? Value | TimestampTypeBit : Value & ~TimestampTypeBit));

    public BatchAttributes WithCompression(CompressionType compression) =>
        new((short)((Value & ~CompressionMask) | ((int)compression & CompressionMask)));

    public BatchAttributes WithDeleteHorizon(bool set) =>
        new((short)(set ? Value | DeleteHorizonBit : Value & ~DeleteHorizonBit));
}
