// libFuzzer target: PtzCommand::fromHex on arbitrary text; what decodes must re-encode equal.

#include "gb28181/ptzcommand.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto command = Vigil::Gb::PtzCommand::fromHex(text);
    if (command) {
        const auto again = Vigil::Gb::PtzCommand::fromHex(QString::fromLatin1(command->toHex()));
        if (!again || !(*again == *command))
            std::abort();
        (void)command->describe();
    }
    return 0;
}
