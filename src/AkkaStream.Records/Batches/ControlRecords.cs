using System.Buffers.Binary;

namespace AkkaStream.Records.Batches;

/// <summary>
/// Keys and values of control records, the records of batches whose isControl attribute is set.
/// Stateless, so thread-safe. All integers are big-endian.
/// <code>
///  key:                      version:int16 (0), type:int16 (see ControlRecordType)
///  value of ABORT / COMMIT:  version:int16 (0), coordinatorEpoch:int32
/// </code>
/// </summary>
public static class ControlRecords
{
    public const int KeySize = 4;
    public const int EndTransactionMarkerSize = 6;
    public const short CurrentKeyVersion = 0;
    public const short CurrentEndTransactionMarkerVersion = 0;

    private const int KeyVersionOffset = 0;
    private const int KeyTypeOffset = 2;
    private const int MarkerVersionOffset = 0;
    private const int MarkerCoordinatorEpochOffset = 2;

    public static void WriteKey(Span<byte> destination, ControlRecordType type)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination[KeyVersionOffset..], CurrentKeyVersion);
        BinaryPrimitives.WriteInt16BigEndian(destination[KeyTypeOffset..], (short)type);
    }

    /// <summary>Reads a control record's key; false when it is shorter than <see cref="KeySize"/> or its version is negative.</summary>
    public static bool TryReadKey(ReadOnlySpan<byte> key, out short version, out ControlRecordType type)
    {
        if (key.Length < KeySize || BinaryPrimitives.ReadInt16BigEndian(key[KeyVersionOffset..]) < 0)
        {
            version = 0;
            type = default;
            return false;
        }
        version = BinaryPrimitives.ReadInt16BigEndian(key[KeyVersionOffset..]);
        type = (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(key[KeyTypeOffset..]);
        return true;
    }

    /// <summary>Writes the value of an ABORT or COMMIT marker.</summary>
    public static void WriteEndTransactionMarker(Span<byte> destination, int coordinatorEpoch)
    {
        BinaryPrimitives.WriteInt16BigEndian(destination[MarkerVersionOffset..], CurrentEndTransactionMarkerVersion);
        BinaryPrimitives.WriteInt32BigEndian(destination[MarkerCoordinatorEpochOffset..], coordinatorEpoch);
    }

    /// <summary>Reads the value of an ABORT or COMMIT marker; false when too short or its version is negative.</summary>
    public static bool TryReadEndTransactionMarker(ReadOnlySpan<byte> value, out short version, out int coordinatorEpoch)
    {
        if (value.Length < EndTransactionMarkerSize || BinaryPrimitives.ReadInt16BigEndian(value[MarkerVersionOffset..]) < 0)
        {
            version = 0;
            coordinatorEpoch = 0;
            return false;
        }
        version = BinaryPrimitives.ReadInt16BigEndian(value[MarkerVersionOffset..]);
        coordinatorEpoch = BinaryPrimitives.ReadInt32BigEndian(value[MarkerCoordinatorEpochOffset..]);
        return true;
    }
}
