#include "decodeworker.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <pthread.h>
#endif

namespace Vigil::Media {

DecodeWorker::DecodeWorker(VideoDecoder::FrameCallback onFrame, VideoDecoderOptions options,
                           DecodeQueueLimits limits)
    : m_queue(limits)
    , m_decoder(std::move(onFrame), std::move(options))
    , m_thread([this] { run(); })
{
}

DecodeWorker::~DecodeWorker()
{
    stop(CloseMode::Discard);
}

PushResult DecodeWorker::push(EncodedFrame unit)
{
    return m_queue.push(std::move(unit));
}

void DecodeWorker::reportGap()
{
    m_queue.reportGap();
}

void DecodeWorker::stop(CloseMode mode)
{
    std::lock_guard lock(m_stopMutex);
    if (!m_thread.joinable())
        return;
    Q_ASSERT_X(m_thread.get_id() != std::this_thread::get_id(), "DecodeWorker::stop",
               "called from the frame callback, which runs on the worker thread");
    // Written before close(): the worker reads it after pop() saw the close, under the queue's
    // mutex, so it sees this value.
    m_closeMode = mode;
    m_queue.close(mode);
    m_thread.join();
}

DecodeWorker::Stats DecodeWorker::stats() const
{
    Stats stats;
    {
        std::lock_guard lock(m_statsMutex);
        stats.decoder = m_decoderStats;
    }
    stats.queue = m_queue.stats();
    return stats;
}

void DecodeWorker::run()
{
#ifdef Q_OS_LINUX
    pthread_setname_np(pthread_self(), "vigil-decode");
#endif
    while (std::optional<DecodeQueue::Entry> entry = m_queue.pop()) {
        if (entry->afterGap)
            m_decoder.markDiscontinuity();
        m_decoder.decode(entry->frame);
        std::lock_guard lock(m_statsMutex);
        m_decoderStats = m_decoder.stats();
    }
    if (m_closeMode == CloseMode::Drain) {
        m_decoder.drain();
        std::lock_guard lock(m_statsMutex);
        m_decoderStats = m_decoder.stats();
    }
}

} // namespace Vigil::Media
