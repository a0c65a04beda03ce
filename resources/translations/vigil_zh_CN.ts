<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Vigil::GbId</name>
    <message>
        <source>The GB/T 28181 ID is empty; it must have 20 digits.</source>
        <translation>GB/T 28181 编码为空；编码应为 20 位数字。</translation>
    </message>
    <message>
        <source>%1 is not a GB/T 28181 ID: it has %2 characters; an ID has 20 digits.</source>
        <translation>%1 不是 GB/T 28181 编码：它有 %2 个字符，编码应为 20 位数字。</translation>
    </message>
    <message>
        <source>%1 is not a GB/T 28181 ID: character %2 is not a digit 0-9.</source>
        <translation>%1 不是 GB/T 28181 编码：第 %2 个字符不是 0-9 的数字。</translation>
    </message>
    <message>
        <source>Unknown type</source>
        <translation>未知类型</translation>
    </message>
    <message>
        <source>DVR</source>
        <translation>DVR</translation>
    </message>
    <message>
        <source>Video server</source>
        <translation>视频服务器</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <source>Decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <source>Video switching matrix</source>
        <translation>视频切换矩阵</translation>
    </message>
    <message>
        <source>Audio switching matrix</source>
        <translation>音频切换矩阵</translation>
    </message>
    <message>
        <source>Alarm controller</source>
        <translation>报警控制器</translation>
    </message>
    <message>
        <source>NVR</source>
        <translation>NVR</translation>
    </message>
    <message>
        <source>Video checkpoint</source>
        <translation>视频卡口</translation>
    </message>
    <message>
        <source>Multi-lens device</source>
        <translation>多目设备</translation>
    </message>
    <message>
        <source>HVR</source>
        <translation>HVR</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>IPC</source>
        <translation>网络摄像机</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示器</translation>
    </message>
    <message>
        <source>Alarm input</source>
        <translation>报警输入</translation>
    </message>
    <message>
        <source>Alarm output</source>
        <translation>报警输出</translation>
    </message>
    <message>
        <source>Voice input</source>
        <translation>语音输入</translation>
    </message>
    <message>
        <source>Voice output</source>
        <translation>语音输出</translation>
    </message>
    <message>
        <source>Mobile transmission device</source>
        <translation>移动传输设备</translation>
    </message>
    <message>
        <source>Other peripheral</source>
        <translation>其他外围设备</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Web application server</source>
        <translation>Web 应用服务器</translation>
    </message>
    <message>
        <source>Media distribution server</source>
        <translation>媒体分发服务器</translation>
    </message>
    <message>
        <source>Proxy server</source>
        <translation>代理服务器</translation>
    </message>
    <message>
        <source>Security server</source>
        <translation>安全服务器</translation>
    </message>
    <message>
        <source>Alarm server</source>
        <translation>报警服务器</translation>
    </message>
    <message>
        <source>Database server</source>
        <translation>数据库服务器</translation>
    </message>
    <message>
        <source>GIS server</source>
        <translation>GIS 服务器</translation>
    </message>
    <message>
        <source>Management server</source>
        <translation>管理服务器</translation>
    </message>
    <message>
        <source>Access gateway</source>
        <translation>接入网关</translation>
    </message>
    <message>
        <source>Media storage server</source>
        <translation>媒体存储服务器</translation>
    </message>
    <message>
        <source>Signalling security gateway</source>
        <translation>信令安全路由网关</translation>
    </message>
    <message>
        <source>Business group</source>
        <translation>业务分组</translation>
    </message>
    <message>
        <source>Virtual organization</source>
        <translation>虚拟组织</translation>
    </message>
    <message>
        <source>Center user</source>
        <translation>中心用户</translation>
    </message>
    <message>
        <source>Terminal user</source>
        <translation>终端用户</translation>
    </message>
</context>
<context>
    <name>Vigil::Media::ElementaryStreamFile</name>
    <message>
        <source>Cannot open %1: %2.</source>
        <translation>无法打开 %1：%2。</translation>
    </message>
    <message>
        <source>%1 is larger than %2 MiB; use a shorter clip.</source>
        <translation>%1 大于 %2 MiB；请使用更短的片段。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <source>The video data</source>
        <translation>视频数据</translation>
    </message>
    <message>
        <source>%1/%2 is not a usable frame rate.</source>
        <translation>%1/%2 不是可用的帧率。</translation>
    </message>
    <message>
        <source>%1 is empty.</source>
        <translation>%1 是空的。</translation>
    </message>
    <message>
        <source>%1 is neither an H.264 nor an H.265 elementary stream (Annex B), nor raw G.711 audio (.alaw, .ulaw).</source>
        <translation>%1 既不是 H.264 或 H.265 基本流（Annex B），也不是 G.711 裸音频（.alaw、.ulaw）。</translation>
    </message>
    <message>
        <source>%1 holds no complete %2 picture.</source>
        <translation>%1 中没有完整的 %2 图像。</translation>
    </message>
    <message>
        <source>The audio data</source>
        <translation>音频数据</translation>
    </message>
    <message>
        <source>%1: only raw G.711 audio files can be read.</source>
        <translation>%1：只能读取 G.711 裸音频文件。</translation>
    </message>
    <message>
        <source>%1 is shorter than one %2 ms audio frame.</source>
        <translation>%1 不足一个 %2 毫秒的音频帧。</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::MainWindow</name>
    <message>
        <source>Vigil</source>
        <translation>Vigil</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Point your devices at this console&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;请将设备接入本平台&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>SIP server ID: %1&lt;br&gt;SIP domain: %2&lt;br&gt;SIP server address: %3&lt;br&gt;SIP port: %4 (UDP and TCP)</source>
        <translation>SIP 服务器编号：%1&lt;br&gt;SIP 域：%2&lt;br&gt;SIP 服务器地址：%3&lt;br&gt;SIP 端口：%4（UDP 和 TCP）</translation>
    </message>
    <message>
        <source>SIP: %1@%2:%3</source>
        <translation>SIP：%1@%2:%3</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Full Screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Vigil</source>
        <translation>关于 Vigil(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>About Vigil</source>
        <translation>关于 Vigil</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;A console for GB/T 28181 video surveillance: cameras, NVRs and platforms register to it over SIP, and it shows their live video.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;GB/T 28181 视频监控客户端：摄像机、NVR 和下级平台通过 SIP 注册到本平台，并在此观看实时视频。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Vigil: a console for GB/T 28181 cameras, NVRs and platforms.</source>
        <translation>Vigil：用于 GB/T 28181 摄像机、NVR 和平台的监控客户端。</translation>
    </message>
    <message>
        <source>Vigil</source>
        <translation>Vigil</translation>
    </message>
</context>
</TS>
