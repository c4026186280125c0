#pragma once

#include <QByteArray>
#include <QIODevice>

namespace keyward {

// Buffered byte-at-a-time reading from a QIODevice, with one byte of look-ahead; the readers'
// state machines work on bytes (every structural character of CSV and JSON is ASCII).
class ByteStream
{
public:
    explicit ByteStream(QIODevice& device) : m_device(device) {}

    // -1 at the end.
    int get()
    {
        if (m_pos == m_end && !refill())
            return -1;
        ++m_consumed;
        return static_cast<unsigned char>(m_buffer[m_pos++]);
    }
    int peek()
    {
        if (m_pos == m_end && !refill())
            return -1;
        return static_cast<unsigned char>(m_buffer[m_pos]);
    }
    qint64 consumed() const { return m_consumed; }
    bool failed() const { return m_failed; }
    QString errorString() const { return m_device.errorString(); }

private:
    bool refill()
    {
        if (m_buffer.size() != kChunk)
            m_buffer.resize(kChunk);
        const qint64 n = m_device.read(m_buffer.data(), kChunk);
        if (n < 0)
            m_failed = true;
        m_pos = 0;
        m_end = n > 0 ? n : 0;
        return m_end > 0;
    }

    static constexpr qint64 kChunk = 1 << 16;
    QIODevice& m_device;
    QByteArray m_buffer;
    qint64 m_pos = 0;
    qint64 m_end = 0;
    qint64 m_consumed = 0;
    bool m_failed = false;
};

} // namespace keyward
