<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PtzCommand</name>
    <message>
        <source>PTZ speed %1 is out of range; use 0 to 255.</source>
        <translation>云台速度 %1 超出范围；请使用 0 到 255。</translation>
    </message>
    <message>
        <source>Preset number %1 is out of range; use 1 to 255.</source>
        <translation>预置位编号 %1 超出范围；请使用 1 到 255。</translation>
    </message>
    <message>
        <source>Unknown PTZ action &quot;%1&quot;.</source>
        <translation>未知的云台动作“%1”。</translation>
    </message>
    <message>
        <source>PTZCmd &quot;%1&quot; does not have 16 hex digits.</source>
        <translation>PTZCmd“%1”不是 16 位十六进制数。</translation>
    </message>
    <message>
        <source>PTZCmd &quot;%1&quot; is not hexadecimal.</source>
        <translation>PTZCmd“%1”不是十六进制。</translation>
    </message>
    <message>
        <source>PTZCmd &quot;%1&quot; does not start with A5.</source>
        <translation>PTZCmd“%1”不是以 A5 开头。</translation>
    </message>
    <message>
        <source>PTZCmd &quot;%1&quot; has a wrong check nibble.</source>
        <translation>PTZCmd“%1”的校验位错误。</translation>
    </message>
    <message>
        <source>PTZCmd &quot;%1&quot; has a wrong checksum.</source>
        <translation>PTZCmd“%1”的校验和错误。</translation>
    </message>
    <message>
        <source>PTZCmd &quot;%1&quot; has an unknown instruction %2.</source>
        <translation>PTZCmd“%1”含有未知指令 %2。</translation>
    </message>
</context>
<context>
    <name>Vigil::Api::ApiServer</name>
    <message>
        <source>The HTTP API would listen on %1 without a token; set --api-token, or bind it to 127.0.0.1.</source>
        <translation>HTTP 接口将在 %1 上无令牌监听；请设置 --api-token，或绑定到 127.0.0.1。</translation>
    </message>
    <message>
        <source>Cannot listen for the HTTP API on %1:%2; the port may be in use. Choose another with --api-port.</source>
        <translation>无法在 %1:%2 上监听 HTTP 接口；端口可能已被占用。请用 --api-port 指定其他端口。</translation>
    </message>
    <message>
        <source>Missing or wrong API token.</source>
        <translation>缺少接口令牌或令牌错误。</translation>
    </message>
    <message>
        <source>Device %1 is not known.</source>
        <translation>设备 %1 不存在。</translation>
    </message>
    <message>
        <source>&quot;after&quot; must be an event id.</source>
        <translation>“after”必须是事件编号。</translation>
    </message>
    <message>
        <source>&quot;limit&quot; must be a positive number.</source>
        <translation>“limit”必须是正数。</translation>
    </message>
    <message>
        <source>The body must be a JSON object like {&quot;action&quot;: &quot;up&quot;, &quot;speed&quot;: 128}.</source>
        <translation>请求体必须是 JSON 对象，例如 {&quot;action&quot;: &quot;up&quot;, &quot;speed&quot;: 128}。</translation>
    </message>
    <message>
        <source>No such endpoint: %1 %2</source>
        <translation>没有这个接口：%1 %2</translation>
    </message>
    <message>
        <source>The body must be a JSON object like {&quot;transport&quot;: &quot;udp&quot;, &quot;profile&quot;: &quot;main&quot;}.</source>
        <translation>请求体必须是 JSON 对象，例如 {&quot;transport&quot;: &quot;udp&quot;, &quot;profile&quot;: &quot;main&quot;}。</translation>
    </message>
    <message>
        <source>&quot;transport&quot; must be udp, tcp-passive or tcp-active.</source>
        <translation>&quot;transport&quot; 只能是 udp、tcp-passive 或 tcp-active。</translation>
    </message>
    <message>
        <source>&quot;profile&quot; must be main or sub.</source>
        <translation>&quot;profile&quot; 只能是 main 或 sub。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a stream id.</source>
        <translation>&quot;%1&quot; 不是有效的流 ID。</translation>
    </message>
    <message>
        <source>There is no stream %1.</source>
        <translation>不存在流 %1。</translation>
    </message>
</context>
<context>
    <name>Vigil::Devices::Device</name>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Not registered since Vigil started</source>
        <translation>自 Vigil 启动以来未注册</translation>
    </message>
    <message>
        <source>%1 keepalives missed</source>
        <translation>连续 %1 次心跳丢失</translation>
    </message>
    <message>
        <source>Registration expired</source>
        <translation>注册已过期</translation>
    </message>
    <message>
        <source>Unregistered</source>
        <translation>已注销</translation>
    </message>
    <message>
        <source>TCP connection closed</source>
        <translation>TCP 连接已断开</translation>
    </message>
</context>
<context>
    <name>Vigil::Devices::Event</name>
    <message>
        <source>Registered</source>
        <translation>已注册</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Unregistered</source>
        <translation>已注销</translation>
    </message>
    <message>
        <source>Authentication failed</source>
        <translation>认证失败</translation>
    </message>
    <message>
        <source>Address blocked</source>
        <translation>地址已封禁</translation>
    </message>
    <message>
        <source>Device ID blocked</source>
        <translation>设备编号已封禁</translation>
    </message>
    <message>
        <source>Address changed</source>
        <translation>地址变更</translation>
    </message>
    <message>
        <source>Catalog synchronised</source>
        <translation>目录已同步</translation>
    </message>
    <message>
        <source>Catalog incomplete</source>
        <translation>目录不完整</translation>
    </message>
    <message>
        <source>Query failed</source>
        <translation>查询失败</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Registered from %1 over %2</source>
        <translation>从 %1 通过 %2 注册</translation>
    </message>
    <message>
        <source>Online at %1</source>
        <translation>在线，地址 %1</translation>
    </message>
    <message>
        <source>Offline: %1</source>
        <translation>离线：%1</translation>
    </message>
    <message>
        <source>Unregistered from %1</source>
        <translation>从 %1 注销</translation>
    </message>
    <message>
        <source>Authentication failed from %1: %2</source>
        <translation>来自 %1 的认证失败：%2</translation>
    </message>
    <message>
        <source>Address %1 blocked for %2 minutes after repeated authentication failures</source>
        <translation>地址 %1 多次认证失败，已封禁 %2 分钟</translation>
    </message>
    <message>
        <source>Device ID blocked for %1 minutes after repeated authentication failures</source>
        <translation>设备编号多次认证失败，已封禁 %1 分钟</translation>
    </message>
    <message>
        <source>Address changed from %1 to %2</source>
        <translation>地址由 %1 变为 %2</translation>
    </message>
    <message>
        <source>Catalog synchronised: %1 channels</source>
        <translation>目录已同步：%1 个通道</translation>
    </message>
    <message>
        <source>Catalog incomplete: received %1 of %2 entries</source>
        <translation>目录不完整：已收到 %1 / %2 条</translation>
    </message>
    <message>
        <source>%1 query failed: %2</source>
        <translation>%1 查询失败：%2</translation>
    </message>
</context>
<context>
    <name>Vigil::Gb::GbServer</name>
    <message>
        <source>The GB/T 28181 server is not running.</source>
        <translation>GB/T 28181 服务未运行。</translation>
    </message>
</context>
<context>
    <name>Vigil::Gb::GbService</name>
    <message>
        <source>Device %1 is not registered; check that it is online and points at this server.</source>
        <translation>设备 %1 未注册；请检查设备是否在线并已指向本服务器。</translation>
    </message>
    <message>
        <source>Alarm from %1: %2</source>
        <translation>来自 %1 的报警：%2</translation>
    </message>
    <message>
        <source>Device %1 did not send its catalog; check that it is online.</source>
        <translation>设备 %1 未发送目录；请检查设备是否在线。</translation>
    </message>
    <message>
        <source>Device %1 answered %2 %3.</source>
        <translation>设备 %1 回复 %2 %3。</translation>
    </message>
    <message>
        <source>Device %1 did not answer.</source>
        <translation>设备 %1 无应答。</translation>
    </message>
    <message>
        <source>Could not reach device %1.</source>
        <translation>无法连接设备 %1。</translation>
    </message>
    <message>
        <source>Channel %1 is not known.</source>
        <translation>通道 %1 不存在。</translation>
    </message>
    <message>
        <source>Device %1 was removed.</source>
        <translation>设备 %1 已被删除。</translation>
    </message>
    <message>
        <source>Device %1 went offline: %2</source>
        <translation>设备 %1 已离线：%2</translation>
    </message>
    <message>
        <source>Device %1 accepted the %2 query but never answered it.</source>
        <translation>设备 %1 接受了 %2 查询但始终未答复。</translation>
    </message>
</context>
<context>
    <name>Vigil::Gb::MediaSdp</name>
    <message>
        <source>The SDP has no media line (m=).</source>
        <translation>SDP 中没有媒体行（m=）。</translation>
    </message>
    <message>
        <source>The SDP has no connection address (c=): it does not say where the stream goes.</source>
        <translation>SDP 中没有连接地址（c=），无法知道码流发往何处。</translation>
    </message>
    <message>
        <source>The SDP connection address &quot;%1&quot; is not an IP address.</source>
        <translation>SDP 连接地址“%1”不是 IP 地址。</translation>
    </message>
</context>
<context>
    <name>Vigil::Gb::MediaSessions</name>
    <message>
        <source>the device cannot send what was asked; try another media transport (UDP, TCP passive, TCP active) in the device&apos;s properties</source>
        <translation>设备无法按要求发送码流；请在设备属性中尝试其他媒体传输方式（UDP、TCP 被动、TCP 主动）</translation>
    </message>
    <message>
        <source>the device is busy, probably streaming to too many viewers</source>
        <translation>设备忙，可能同时向过多客户端推流</translation>
    </message>
    <message>
        <source>the device does not know this channel; refresh its catalog</source>
        <translation>设备不认识此通道；请刷新其目录</translation>
    </message>
    <message>
        <source>the device refused this platform; check its GB/T 28181 settings</source>
        <translation>设备拒绝了本平台；请检查其 GB/T 28181 设置</translation>
    </message>
    <message>
        <source>see the device&apos;s log</source>
        <translation>请查看设备日志</translation>
    </message>
    <message>
        <source>%1 is a catalog group, not a channel that streams video.</source>
        <translation>%1 是目录分组，不是可播放视频的通道。</translation>
    </message>
    <message>
        <source>Channel %1 is not known; refresh the device&apos;s catalog.</source>
        <translation>未知通道 %1；请刷新设备目录。</translation>
    </message>
    <message>
        <source>Device %1 is offline; video can be opened when it registers again.</source>
        <translation>设备 %1 离线；重新注册后才能打开视频。</translation>
    </message>
    <message>
        <source>Device %1 is offline.</source>
        <translation>设备 %1 离线。</translation>
    </message>
    <message>
        <source>No media port is free for the video: %1</source>
        <translation>没有空闲的媒体端口用于接收视频：%1</translation>
    </message>
    <message>
        <source>Could not send the request for video: %1</source>
        <translation>无法发送视频请求：%1</translation>
    </message>
    <message>
        <source>The device refused the video (%1 %2): %3</source>
        <translation>设备拒绝了视频请求（%1 %2）：%3</translation>
    </message>
    <message>
        <source>The device did not answer the request for video; check that it is online and reachable.</source>
        <translation>设备未响应视频请求；请检查设备是否在线且网络可达。</translation>
    </message>
    <message>
        <source>The request for video could not be sent to the device.</source>
        <translation>视频请求无法发送到设备。</translation>
    </message>
    <message>
        <source>The device&apos;s answer could not be understood: %1</source>
        <translation>无法解析设备的应答：%1</translation>
    </message>
    <message>
        <source>No video from the device after %1 attempts; check its network and media settings.</source>
        <translation>尝试 %1 次后仍未收到设备视频；请检查其网络和媒体设置。</translation>
    </message>
    <message>
        <source>No video for a few seconds; asking the device again.</source>
        <translation>数秒未收到视频；正在重新向设备请求。</translation>
    </message>
    <message>
        <source>There is no stream %1.</source>
        <translation>不存在流 %1。</translation>
    </message>
    <message>
        <source>The stream has no picture: %1</source>
        <translation>该流没有画面：%1</translation>
    </message>
    <message>
        <source>The device ended the video.</source>
        <translation>设备结束了视频。</translation>
    </message>
    <message>
        <source>The device went offline.</source>
        <translation>设备已离线。</translation>
    </message>
    <message>
        <source>The stream has no picture yet.</source>
        <translation>该流尚无画面。</translation>
    </message>
</context>
<context>
    <name>Vigil::Gb::Registrar</name>
    <message>
        <source>unknown device</source>
        <translation>未知设备</translation>
    </message>
    <message>
        <source>wrong password (403); check the SIP password on the device</source>
        <translation>密码错误（403）；请检查设备上配置的 SIP 密码</translation>
    </message>
    <message>
        <source>wrong SIP domain; set it to %1 on the device</source>
        <translation>SIP 域错误；请在设备上将其设为 %1</translation>
    </message>
    <message>
        <source>unsupported digest algorithm; set the device to MD5</source>
        <translation>不支持的摘要算法；请将设备设为 MD5</translation>
    </message>
</context>
<context>
    <name>Vigil::Gb::ServerConfig</name>
    <message>
        <source>Setting %1 must be a whole number from %2 to %3, not &quot;%4&quot;.</source>
        <translation>设置项 %1 必须是 %2 到 %3 之间的整数，而不是“%4”。</translation>
    </message>
    <message>
        <source>Setting %1 must be an IP address, not &quot;%2&quot;.</source>
        <translation>设置项 %1 必须是 IP 地址，而不是“%2”。</translation>
    </message>
    <message>
        <source>The SIP domain &quot;%1&quot; must have 10 digits, usually the first 10 digits of the server ID.</source>
        <translation>SIP 域“%1”应为 10 位数字，通常是服务器编号的前 10 位。</translation>
    </message>
    <message>
        <source>The media port range %1-%2 is empty; give it as FIRST-LAST, for example 30000-30999.</source>
        <translation>媒体端口范围 %1-%2 为空；请写成“起始-结束”，例如 30000-30999。</translation>
    </message>
    <message>
        <source>The shortest registration is longer than the longest.</source>
        <translation>最短注册有效期大于最长注册有效期。</translation>
    </message>
    <message>
        <source>The keepalive interval and count must be at least 1.</source>
        <translation>心跳间隔和心跳超时次数至少为 1。</translation>
    </message>
    <message>
        <source>The media port range &quot;%1&quot; is not FIRST-LAST, for example 30000-30999.</source>
        <translation>媒体端口范围“%1”格式不对，应为“起始-结束”，例如 30000-30999。</translation>
    </message>
    <message>
        <source>Setting sip/server-id: %1</source>
        <translation>设置项 sip/server-id：%1</translation>
    </message>
    <message>
        <source>Setting registrar/policy must be &quot;any&quot; or &quot;known&quot;, not &quot;%1&quot;.</source>
        <translation>设置项 registrar/policy 必须是“any”或“known”，而不是“%1”。</translation>
    </message>
    <message>
        <source>Setting media/transport must be udp, tcp-passive or tcp-active, not &quot;%1&quot;.</source>
        <translation>设置项 media/transport 必须是 udp、tcp-passive 或 tcp-active，而不是“%1”。</translation>
    </message>
</context>
<context>
    <name>Vigil::Gb::SessionDescription</name>
    <message>
        <source>The SDP body is %1 bytes long; more than %2 bytes is not a media description.</source>
        <translation>SDP 消息体长 %1 字节；超过 %2 字节的内容不是媒体描述。</translation>
    </message>
    <message>
        <source>The SDP media line &quot;m=%1&quot; has no port.</source>
        <translation>SDP 媒体行“m=%1”缺少端口。</translation>
    </message>
    <message>
        <source>The SDP media line &quot;m=%1&quot; has an invalid port.</source>
        <translation>SDP 媒体行“m=%1”的端口无效。</translation>
    </message>
    <message>
        <source>The body is not an SDP media description (no &quot;x=value&quot; lines).</source>
        <translation>消息体不是 SDP 媒体描述（没有“x=value”格式的行）。</translation>
    </message>
    <message>
        <source>The SDP has no media line (m=): it does not say where the stream goes.</source>
        <translation>SDP 中没有媒体行（m=），无法知道码流发往何处。</translation>
    </message>
</context>
<context>
    <name>Vigil::Gb::Ssrc</name>
    <message>
        <source>&quot;%1&quot; is not an SSRC: y= takes 10 decimal digits.</source>
        <translation>“%1”不是 SSRC：y= 应为 10 位十进制数字。</translation>
    </message>
    <message>
        <source>The SSRC %1 does not fit in 32 bits.</source>
        <translation>SSRC %1 超出 32 位范围。</translation>
    </message>
</context>
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
    <name>Vigil::Media::JpegEncoder</name>
    <message>
        <source>There is no picture to take a snapshot of yet. Wait until the video shows, then try again.</source>
        <translation>还没有可以抓拍的画面。请等视频显示后再试。</translation>
    </message>
    <message>
        <source>The snapshot could not be encoded as JPEG (%1). Try again; if it keeps failing, report it with the log.</source>
        <translation>抓拍图片无法编码为 JPEG（%1）。请重试；如果一直失败，请附上日志报告此问题。</translation>
    </message>
    <message>
        <source>This FFmpeg has no JPEG encoder, so snapshots cannot be saved. Install an FFmpeg build with the mjpeg encoder.</source>
        <translation>当前的 FFmpeg 没有 JPEG 编码器，无法保存抓拍图片。请安装带有 mjpeg 编码器的 FFmpeg。</translation>
    </message>
</context>
<context>
    <name>Vigil::Media::RtpReceiver</name>
    <message>
        <source>no answer within %1 s</source>
        <translation>%1 秒内无应答</translation>
    </message>
    <message>
        <source>Cannot receive media on UDP port %1 of %2: %3. Choose another media port range or stop the program that uses it.</source>
        <translation>无法在 %2 的 UDP 端口 %1 上接收媒体：%3。请选择其他媒体端口范围，或停止占用该端口的程序。</translation>
    </message>
    <message>
        <source>Cannot listen for TCP media on port %1 of %2: %3. Choose another media port range or stop the program that uses it.</source>
        <translation>无法在 %2 的 TCP 端口 %1 上监听媒体：%3。请选择其他媒体端口范围，或停止占用该端口的程序。</translation>
    </message>
    <message>
        <source>The device did not accept the TCP media connection to %1 port %2 (%3 attempts; last error: %4). Check that the device is reachable from here or use UDP or TCP passive.</source>
        <translation>设备未接受到 %1 端口 %2 的 TCP 媒体连接（已尝试 %3 次；最后一次错误：%4）。请检查从本机能否访问该设备，或改用 UDP 或 TCP 被动模式。</translation>
    </message>
</context>
<context>
    <name>Vigil::Media::StreamSession</name>
    <message>
        <source>This installation of FFmpeg cannot decode %1 video. Install an FFmpeg build with the %1 decoder, or set the device&apos;s video encoding to another codec.</source>
        <translation>本机安装的 FFmpeg 无法解码 %1 视频。请安装带 %1 解码器的 FFmpeg，或将设备的视频编码改为其他格式。</translation>
    </message>
    <message>
        <source>The device sends MPEG-TS (RTP payload type %1) instead of the MPEG-PS GB/T 28181 asks for. Set the device&apos;s stream packaging to PS.</source>
        <translation>设备发送的是 MPEG-TS（RTP 负载类型 %1），而不是 GB/T 28181 要求的 MPEG-PS。请将设备的码流封装格式设为 PS。</translation>
    </message>
    <message>
        <source>The device sends a bare %1 stream (RTP payload type %2) instead of the MPEG-PS GB/T 28181 asks for. Set the device&apos;s stream packaging to PS.</source>
        <translation>设备发送的是裸 %1 码流（RTP 负载类型 %2），而不是 GB/T 28181 要求的 MPEG-PS。请将设备的码流封装格式设为 PS。</translation>
    </message>
    <message>
        <source>The device&apos;s RTP payload (type %1) is not MPEG-PS, nor anything else Vigil recognises. Check the device&apos;s stream packaging (GB/T 28181 needs PS).</source>
        <translation>设备的 RTP 负载（类型 %1）不是 MPEG-PS，也不是 Vigil 能识别的其他格式。请检查设备的码流封装格式（GB/T 28181 需要 PS）。</translation>
    </message>
    <message>
        <source>video of a format it cannot tell</source>
        <translation>无法识别格式的视频</translation>
    </message>
    <message>
        <source>%1 video</source>
        <translation>%1 视频</translation>
    </message>
    <message>
        <source>The device sends %1, which Vigil cannot decode. Set the device&apos;s video encoding to H.264 or H.265.</source>
        <translation>设备发送的是%1，Vigil 无法解码。请将设备的视频编码设为 H.264 或 H.265。</translation>
    </message>
    <message>
        <source>Every media port from %1 to %2 is in use. Close some live views or widen the media port range.</source>
        <translation>%1 到 %2 的媒体端口已全部占用。请关闭部分实时画面，或扩大媒体端口范围。</translation>
    </message>
    <message>
        <source>The device&apos;s answer gave no media address to connect to for TCP active mode.</source>
        <translation>设备的应答中没有可供 TCP 主动模式连接的媒体地址。</translation>
    </message>
    <message>
        <source>No picture has been decoded yet. Try again once the video plays.</source>
        <translation>尚未解码出画面。请在视频开始播放后重试。</translation>
    </message>
</context>
<context>
    <name>Vigil::Storage::Database</name>
    <message>
        <source>Database %1: %2 failed: %3</source>
        <translation>数据库 %1：%2失败：%3</translation>
    </message>
    <message>
        <source>Cannot create the data folder %1; check its permissions or choose another with --data-dir.</source>
        <translation>无法创建数据目录 %1；请检查权限，或用 --data-dir 指定其他目录。</translation>
    </message>
    <message>
        <source>The Qt SQLite driver is missing; install libqt6sql6-sqlite.</source>
        <translation>缺少 Qt SQLite 驱动；请安装 libqt6sql6-sqlite。</translation>
    </message>
    <message>
        <source>opening</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Database %1: cannot read its schema version.</source>
        <translation>数据库 %1：无法读取其结构版本。</translation>
    </message>
    <message>
        <source>Database %1 was written by a newer Vigil (schema %2; this one knows %3). Use that version, or start with another --data-dir.</source>
        <translation>数据库 %1 由较新版本的 Vigil 写入（结构版本 %2，本版本支持 %3）。请使用该版本，或用 --data-dir 指定其他目录。</translation>
    </message>
    <message>
        <source>starting a migration</source>
        <translation>开始升级</translation>
    </message>
    <message>
        <source>committing a migration</source>
        <translation>提交升级</translation>
    </message>
    <message>
        <source>reading devices</source>
        <translation>读取设备</translation>
    </message>
    <message>
        <source>reading channels</source>
        <translation>读取通道</translation>
    </message>
    <message>
        <source>starting a write</source>
        <translation>开始写入</translation>
    </message>
    <message>
        <source>saving device %1</source>
        <translation>保存设备 %1</translation>
    </message>
    <message>
        <source>replacing channels of %1</source>
        <translation>替换 %1 的通道</translation>
    </message>
    <message>
        <source>saving channel %1 of %2</source>
        <translation>保存 %2 的通道 %1</translation>
    </message>
    <message>
        <source>removing device %1</source>
        <translation>删除设备 %1</translation>
    </message>
    <message>
        <source>saving last-seen times</source>
        <translation>保存最后在线时间</translation>
    </message>
    <message>
        <source>committing a write</source>
        <translation>提交写入</translation>
    </message>
    <message>
        <source>saving events</source>
        <translation>保存事件</translation>
    </message>
    <message>
        <source>reading events</source>
        <translation>读取事件</translation>
    </message>
    <message>
        <source>pruning events</source>
        <translation>清理事件</translation>
    </message>
</context>
<context>
    <name>Vigil::Transport::SipTransport</name>
    <message>
        <source>SIP over UDP and SIP over TCP are both switched off; switch on at least one in the settings.</source>
        <translation>SIP 的 UDP 和 TCP 传输均已关闭；请在设置中至少开启一种。</translation>
    </message>
    <message>
        <source>SIP port %1 (%2) is already in use by another program; close that program or choose another SIP port in the settings.</source>
        <translation>SIP 端口 %1（%2）已被其他程序占用；请关闭该程序，或在设置中选择其他 SIP 端口。</translation>
    </message>
    <message>
        <source>Not allowed to open SIP port %1 (%2): ports below 1024 need administrator rights on this system; choose a port above 1024 in the settings.</source>
        <translation>无权打开 SIP 端口 %1（%2）：在本系统上使用 1024 以下的端口需要管理员权限；请在设置中选择 1024 以上的端口。</translation>
    </message>
    <message>
        <source>Cannot listen for SIP on %1: that address does not belong to this computer; choose another listening address in the settings.</source>
        <translation>无法在 %1 上监听 SIP：该地址不属于本机；请在设置中选择其他监听地址。</translation>
    </message>
    <message>
        <source>Cannot open SIP port %1 (%2) on %3: %4.</source>
        <translation>无法在 %3 上打开 SIP 端口 %1（%2）：%4。</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::DeviceInfoDialog</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Device Information — %1</source>
        <translation>设备信息 — %1</translation>
    </message>
    <message>
        <source>&amp;Query Device</source>
        <translation>查询设备(&amp;Q)</translation>
    </message>
    <message>
        <source>This device is not in the device list any more.</source>
        <translation>该设备已不在设备列表中。</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>ID:</source>
        <translation>编号：</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Manufacturer:</source>
        <translation>厂商：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
    <message>
        <source>Firmware:</source>
        <translation>固件版本：</translation>
    </message>
    <message>
        <source>Channels:</source>
        <translation>通道：</translation>
    </message>
    <message>
        <source>%1 in the catalog, %2 reported</source>
        <translation>目录中 %1 个，设备上报 %2 个</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline: %1</source>
        <translation>离线：%1</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>User agent:</source>
        <translation>User-Agent：</translation>
    </message>
    <message>
        <source>GB/T 28181 version:</source>
        <translation>GB/T 28181 版本：</translation>
    </message>
    <message>
        <source>Registered:</source>
        <translation>注册时间：</translation>
    </message>
    <message>
        <source>Registration expires:</source>
        <translation>注册到期：</translation>
    </message>
    <message>
        <source>Last seen:</source>
        <translation>最后在线：</translation>
    </message>
    <message>
        <source>Catalog synchronised:</source>
        <translation>目录同步时间：</translation>
    </message>
    <message>
        <source>Asking the device…</source>
        <translation>正在查询设备…</translation>
    </message>
    <message>
        <source>The device answered.</source>
        <translation>设备已应答。</translation>
    </message>
    <message>
        <source>The device did not answer: %1</source>
        <translation>设备未应答：%1</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::DevicePropertiesDialog</name>
    <message>
        <source>Device Properties — %1</source>
        <translation>设备属性 — %1</translation>
    </message>
    <message>
        <source>Add Device</source>
        <translation>添加设备</translation>
    </message>
    <message>
        <source>20-digit device ID, e.g. 34020000001320000001</source>
        <translation>20 位设备编号，例如 34020000001320000001</translation>
    </message>
    <message>
        <source>Device &amp;ID:</source>
        <translation>设备编号(&amp;I)：</translation>
    </message>
    <message>
        <source>Empty: the server&apos;s SIP password</source>
        <translation>留空则使用服务器的 SIP 密码</translation>
    </message>
    <message>
        <source>SIP &amp;password:</source>
        <translation>SIP 密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>GB18030 (GBK, GB2312)</source>
        <translation>GB18030（GBK、GB2312）</translation>
    </message>
    <message>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <source>How the device&apos;s XML text is decoded. Choose GB18030 when names show as garbage and the device does not declare its encoding correctly.</source>
        <translation>设备 XML 文本的解码方式。如果名称显示为乱码、且设备声明的编码不正确，请选择 GB18030。</translation>
    </message>
    <message>
        <source>&amp;Character set:</source>
        <translation>字符集(&amp;C)：</translation>
    </message>
    <message>
        <source>UDP</source>
        <translation>UDP</translation>
    </message>
    <message>
        <source>TCP passive (the device connects to us)</source>
        <translation>TCP 被动（设备主动连接本平台）</translation>
    </message>
    <message>
        <source>TCP active (we connect to the device)</source>
        <translation>TCP 主动（本平台连接设备）</translation>
    </message>
    <message>
        <source>Media &amp;transport:</source>
        <translation>媒体传输(&amp;T)：</translation>
    </message>
    <message>
        <source>Main stream</source>
        <translation>主码流</translation>
    </message>
    <message>
        <source>Sub stream</source>
        <translation>子码流</translation>
    </message>
    <message>
        <source>&amp;Stream:</source>
        <translation>码流(&amp;S)：</translation>
    </message>
    <message>
        <source>a=streamnumber (GB/T 28181-2022, Hikvision)</source>
        <translation>a=streamnumber（GB/T 28181-2022，海康威视）</translation>
    </message>
    <message>
        <source>a=streamprofile (Dahua)</source>
        <translation>a=streamprofile（大华）</translation>
    </message>
    <message>
        <source>a=stream</source>
        <translation>a=stream</translation>
    </message>
    <message>
        <source>a=streamMode (TP-LINK, Mercury)</source>
        <translation>a=streamMode（TP-LINK、水星）</translation>
    </message>
    <message>
        <source>How the request for video asks for the sub stream; vendors differ. When the sub stream shows the main stream&apos;s picture, try another.</source>
        <translation>请求视频时如何指定子码流；各厂商写法不同。如果子码流显示的是主码流画面，请换一种试试。</translation>
    </message>
    <message>
        <source>Sub stream &amp;request:</source>
        <translation>子码流请求方式(&amp;R)：</translation>
    </message>
    <message>
        <source>Sub stream: the device&apos;s channels always play their sub stream (for devices on slow links). Main stream: large tiles play the main stream, and small tiles the sub stream when the console plays sub streams in small tiles (Settings).</source>
        <translation>子码流：该设备的通道始终播放子码流（适用于链路较慢的设备）。主码流：大窗口播放主码流；控制台设置为小窗口播放子码流时，小窗口播放子码流（见设置）。</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::DeviceTreeModel</name>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Dome</source>
        <translation>球机</translation>
    </message>
    <message>
        <source>Half dome</source>
        <translation>半球</translation>
    </message>
    <message>
        <source>Fixed bullet</source>
        <translation>固定枪机</translation>
    </message>
    <message>
        <source>Remote-controlled bullet</source>
        <translation>遥控枪机</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Video channel</source>
        <translation>视频通道</translation>
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
        <source>Audio channel</source>
        <translation>音频通道</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区域</translation>
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
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>ID:</source>
        <translation>编号：</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Manufacturer:</source>
        <translation>厂商：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>型号：</translation>
    </message>
    <message>
        <source>Firmware:</source>
        <translation>固件版本：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>%1 (TCP)</source>
        <translation>%1（TCP）</translation>
    </message>
    <message>
        <source>%1 (UDP)</source>
        <translation>%1（UDP）</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline: %1</source>
        <translation>离线：%1</translation>
    </message>
    <message>
        <source>Last seen:</source>
        <translation>最后在线：</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Registered:</source>
        <translation>注册时间：</translation>
    </message>
    <message>
        <source>Channels:</source>
        <translation>通道数：</translation>
    </message>
    <message>
        <source>GB/T 28181 version:</source>
        <translation>GB/T 28181 版本：</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>安装位置：</translation>
    </message>
    <message>
        <source>Offline: the device is offline</source>
        <translation>离线：所属设备离线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>PTZ:</source>
        <translation>云台：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>所属设备：</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::DeviceTreeWidget</name>
    <message>
        <source>Search by name, ID or address</source>
        <translation>按名称、编号或地址搜索</translation>
    </message>
    <message>
        <source>Online only</source>
        <translation>只显示在线</translation>
    </message>
    <message>
        <source>%1 has no video channel to open.</source>
        <translation>%1 没有可打开的视频通道。</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Refresh Catalog</source>
        <translation>刷新目录(&amp;R)</translation>
    </message>
    <message>
        <source>Device &amp;Information…</source>
        <translation>设备信息(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Properties…</source>
        <translation>属性(&amp;P)…</translation>
    </message>
    <message>
        <source>Re&amp;move Device…</source>
        <translation>删除设备(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Add Device…</source>
        <translation>添加设备(&amp;A)…</translation>
    </message>
    <message>
        <source>E&amp;xpand All</source>
        <translation>全部展开(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Collapse All</source>
        <translation>全部折叠(&amp;C)</translation>
    </message>
    <message>
        <source>Asking %1 for its catalog…</source>
        <translation>正在向 %1 查询目录…</translation>
    </message>
    <message>
        <source>Catalog of %1: %2 entries.</source>
        <translation>%1 的目录：共 %2 条。</translation>
    </message>
    <message>
        <source>Catalog of %1 failed: %2</source>
        <translation>%1 的目录查询失败：%2</translation>
    </message>
    <message>
        <source>Settings of %1 saved.</source>
        <translation>%1 的设置已保存。</translation>
    </message>
    <message>
        <source>Settings of %1 not saved: %2</source>
        <translation>%1 的设置未保存：%2</translation>
    </message>
    <message>
        <source>Device %1 added; it appears online when it registers.</source>
        <translation>已添加设备 %1；设备注册后显示为在线。</translation>
    </message>
    <message>
        <source>Device %1 not added: %2</source>
        <translation>未能添加设备 %1：%2</translation>
    </message>
    <message>
        <source>Remove Device</source>
        <translation>删除设备</translation>
    </message>
    <message>
        <source>Remove %1 (%2) and its channels from Vigil?

If the device keeps registering, it comes back unless the server accepts known devices only.</source>
        <translation>从 Vigil 中删除 %1（%2）及其通道？

如果设备继续注册，它会重新出现，除非服务器只接受已知设备。</translation>
    </message>
    <message>
        <source>%1 removed.</source>
        <translation>已删除 %1。</translation>
    </message>
    <message>
        <source>%1 not removed: %2</source>
        <translation>未能删除 %1：%2</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::EventLogModel</name>
    <message>
        <source>Information</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::EventLogWidget</name>
    <message>
        <source>All events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <source>All severities</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>只看错误</translation>
    </message>
    <message>
        <source>Filter by device or text</source>
        <translation>按设备或内容筛选</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>C&amp;lear View</source>
        <translation>清空列表(&amp;L)</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::Format</name>
    <message>
        <source>%1 kbit/s</source>
        <translation>%1 kbit/s</translation>
    </message>
    <message>
        <source>%1 Mbit/s</source>
        <translation>%1 Mbit/s</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <source>%1 d ago</source>
        <translation>%1 天前</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::GridSurface</name>
    <message>
        <source>Video cannot be shown: no OpenGL context could be made for the video window.</source>
        <translation>无法显示视频：无法为视频窗口创建 OpenGL 上下文。</translation>
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
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Layout</source>
        <translation>分屏(&amp;L)</translation>
    </message>
    <message>
        <source>Device Tree</source>
        <translation>设备树</translation>
    </message>
    <message>
        <source>PTZ Control</source>
        <translation>云台控制</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Live View</source>
        <translation>实时预览</translation>
    </message>
    <message>
        <source>Devices online: %1/%2</source>
        <translation>在线设备：%1/%2</translation>
    </message>
    <message>
        <source>Streams: %1</source>
        <translation>码流：%1 路</translation>
    </message>
    <message>
        <source>Inbound: %1</source>
        <translation>接收：%1</translation>
    </message>
    <message>
        <source>Restarting the SIP server with the new settings…</source>
        <translation>正在用新设置重启 SIP 服务器…</translation>
    </message>
    <message>
        <source>The SIP server runs with the new settings.</source>
        <translation>SIP 服务器已按新设置运行。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>The SIP server could not start with the new settings: %1</source>
        <translation>SIP 服务器无法按新设置启动：%1</translation>
    </message>
    <message>
        <source>Software rendering</source>
        <translation>软件渲染</translation>
    </message>
    <message>
        <source>Video is drawn without graphics acceleration (%1): the processor paints every picture, so large layouts of main streams play at a lower frame rate. Install the graphics card&apos;s driver, or let small tiles play sub streams (Settings, Console).</source>
        <translation>视频在没有图形加速的情况下绘制（%1）：每一帧画面都由处理器绘制，因此多画面布局播放主码流时帧率会降低。请安装显卡驱动，或让小窗口播放子码流（设置，客户端）。</translation>
    </message>
    <message>
        <source>Video drawing: no OpenGL available</source>
        <translation>视频绘制：没有可用的 OpenGL</translation>
    </message>
    <message>
        <source>Video drawing: %1, OpenGL %2, without graphics acceleration</source>
        <translation>视频绘制：%1，OpenGL %2，无图形加速</translation>
    </message>
    <message>
        <source>Video drawing: %1, OpenGL %2</source>
        <translation>视频绘制：%1，OpenGL %2</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::OfflineBackend</name>
    <message>
        <source>The GB/T 28181 server is not running; restart Vigil.</source>
        <translation>GB/T 28181 服务器未运行；请重新启动 Vigil。</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::PtzPanel</name>
    <message>
        <source>The stop command failed: %1</source>
        <translation>停止命令发送失败：%1</translation>
    </message>
    <message>
        <source>PTZ command failed: %1</source>
        <translation>云台命令发送失败：%1</translation>
    </message>
    <message>
        <source>Select a video tile that shows a PTZ camera.</source>
        <translation>请选择一个正在显示云台摄像机的窗口。</translation>
    </message>
    <message>
        <source>%1 is not a camera.</source>
        <translation>%1 不是摄像机。</translation>
    </message>
    <message>
        <source>%1 is offline.</source>
        <translation>%1 已离线。</translation>
    </message>
    <message>
        <source>%1 is a fixed camera: the device reports no PTZ for it.</source>
        <translation>%1 是固定摄像机：设备上报该通道没有云台。</translation>
    </message>
    <message>
        <source>The device does not say whether this camera can move; commands may have no effect.</source>
        <translation>设备未上报该摄像机是否带云台，命令可能无效。</translation>
    </message>
    <message>
        <source>%1 is not in the device list.</source>
        <translation>%1 不在设备列表中。</translation>
    </message>
    <message>
        <source>No camera selected</source>
        <translation>未选择摄像机</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>PTZ speed, 1 (slow) to %1 (fast)</source>
        <translation>云台速度，1（慢）到 %1（快）</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>变倍</translation>
    </message>
    <message>
        <source>Focus</source>
        <translation>聚焦</translation>
    </message>
    <message>
        <source>Iris</source>
        <translation>光圈</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右</translation>
    </message>
    <message>
        <source>Up and left</source>
        <translation>左上</translation>
    </message>
    <message>
        <source>Up and right</source>
        <translation>右上</translation>
    </message>
    <message>
        <source>Down and left</source>
        <translation>左下</translation>
    </message>
    <message>
        <source>Down and right</source>
        <translation>右下</translation>
    </message>
    <message>
        <source>Zoom in (tele)</source>
        <translation>变倍+（拉近）</translation>
    </message>
    <message>
        <source>Zoom out (wide)</source>
        <translation>变倍−（拉远）</translation>
    </message>
    <message>
        <source>Focus near</source>
        <translation>聚焦近</translation>
    </message>
    <message>
        <source>Focus far</source>
        <translation>聚焦远</translation>
    </message>
    <message>
        <source>Open the iris</source>
        <translation>光圈+（开大）</translation>
    </message>
    <message>
        <source>Close the iris</source>
        <translation>光圈−（关小）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>预置位</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>调用(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Set…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Store the camera&apos;s current position as a preset</source>
        <translation>将摄像机当前位置保存为预置位</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Preset %1</source>
        <translation>预置位 %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Set Preset</source>
        <translation>设置预置位</translation>
    </message>
    <message>
        <source>e.g. Main gate</source>
        <translation>例如：大门</translation>
    </message>
    <message>
        <source>&amp;Number:</source>
        <translation>编号(&amp;N)：</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>名称(&amp;A)：</translation>
    </message>
    <message>
        <source>The camera&apos;s current position is stored in the device under this number.</source>
        <translation>摄像机的当前位置将以此编号保存在设备中。</translation>
    </message>
    <message>
        <source>Rename Preset</source>
        <translation>重命名预置位</translation>
    </message>
    <message>
        <source>Name of preset %1:</source>
        <translation>预置位 %1 的名称：</translation>
    </message>
    <message>
        <source>Delete Preset</source>
        <translation>删除预置位</translation>
    </message>
    <message>
        <source>Delete preset %1 from the camera?</source>
        <translation>从摄像机中删除预置位 %1？</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>SIP Server</source>
        <translation>SIP 服务器</translation>
    </message>
    <message>
        <source>Media</source>
        <translation>媒体</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Server &amp;ID:</source>
        <translation>服务器编号(&amp;I)：</translation>
    </message>
    <message>
        <source>SIP &amp;domain:</source>
        <translation>SIP 域(&amp;D)：</translation>
    </message>
    <message>
        <source>SIP &amp;password:</source>
        <translation>SIP 密码(&amp;P)：</translation>
    </message>
    <message>
        <source>SIP &amp;bind address:</source>
        <translation>SIP 监听地址(&amp;B)：</translation>
    </message>
    <message>
        <source>SIP p&amp;ort:</source>
        <translation>SIP 端口(&amp;O)：</translation>
    </message>
    <message>
        <source>Media &amp;address in SDP:</source>
        <translation>SDP 媒体地址(&amp;A)：</translation>
    </message>
    <message>
        <source>Media p&amp;orts:</source>
        <translation>媒体端口(&amp;O)：</translation>
    </message>
    <message>
        <source>Default &amp;transport:</source>
        <translation>默认传输方式(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>Snapshot &amp;folder:</source>
        <translation>抓图目录(&amp;F)：</translation>
    </message>
    <message>
        <source>Snapshot f&amp;ormat:</source>
        <translation>抓图格式(&amp;O)：</translation>
    </message>
    <message>
        <source>The 20-digit ID devices are configured with as their SIP server ID.</source>
        <translation>设备上配置的 SIP 服务器编号（20 位）。</translation>
    </message>
    <message>
        <source>Usually the first 10 digits of the server ID.</source>
        <translation>通常是服务器编号的前 10 位。</translation>
    </message>
    <message>
        <source>The password devices authenticate with, unless a device has its own.</source>
        <translation>设备注册认证使用的密码（单独设置了密码的设备除外）。</translation>
    </message>
    <message>
        <source>0.0.0.0 listens on every address of this computer.</source>
        <translation>0.0.0.0 表示监听本机所有地址。</translation>
    </message>
    <message>
        <source>Automatic: the address the device&apos;s SIP traffic reaches</source>
        <translation>自动：使用设备 SIP 信令到达的本机地址</translation>
    </message>
    <message>
        <source>The address devices send video to. Set it when Vigil is behind NAT or has several networks.</source>
        <translation>设备发送视频流的目标地址。Vigil 位于 NAT 之后或有多个网络时请设置。</translation>
    </message>
    <message>
        <source>UDP</source>
        <translation>UDP</translation>
    </message>
    <message>
        <source>TCP passive (the device connects to us)</source>
        <translation>TCP 被动（设备主动连接本平台）</translation>
    </message>
    <message>
        <source>TCP active (we connect to the device)</source>
        <translation>TCP 主动（本平台连接设备）</translation>
    </message>
    <message>
        <source>Automatic (system language)</source>
        <translation>自动（跟随系统语言）</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Enter an IP address of this computer, or 0.0.0.0 for all of them.</source>
        <translation>请输入本机的 IP 地址，或输入 0.0.0.0 监听所有地址。</translation>
    </message>
    <message>
        <source>Enter an IP address devices can reach, or leave it empty.</source>
        <translation>请输入设备可以访问的 IP 地址，或留空。</translation>
    </message>
    <message>
        <source>The SIP server restarts with the new settings when you press OK; devices register again within a minute or so.</source>
        <translation>点击“确定”后 SIP 服务器将按新设置重启，设备会在一分钟左右重新注册。</translation>
    </message>
    <message>
        <source>Snapshot Folder</source>
        <translation>抓图目录</translation>
    </message>
    <message>
        <source>Play &amp;sub streams in small tiles</source>
        <translation>小窗口播放子码流(&amp;S)</translation>
    </message>
    <message>
        <source>Tiles smaller than half the grid (layouts of 9 tiles and more) ask cameras for their sub stream, which takes far less network and CPU; large and maximized tiles play the main stream.</source>
        <translation>小于画面一半的窗口（9 画面及以上）向摄像机请求子码流，占用的网络和 CPU 少得多；大窗口和最大化的窗口播放主码流。</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::VideoGrid</name>
    <message>
        <source>1 Tile</source>
        <translation>单画面</translation>
    </message>
    <message>
        <source>1+5 Tiles</source>
        <translation>1+5 分屏</translation>
    </message>
    <message>
        <source>1+7 Tiles</source>
        <translation>1+7 分屏</translation>
    </message>
    <message>
        <source>%1 Tiles</source>
        <translation>%1 分屏</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>&amp;Snapshot</source>
        <translation>抓图(&amp;S)</translation>
    </message>
    <message>
        <source>Save a picture of the selected tile</source>
        <translation>对选中窗口抓图</translation>
    </message>
    <message>
        <source>Ma&amp;ximize Tile</source>
        <translation>窗口最大化(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Close Tile</source>
        <translation>关闭窗口(&amp;C)</translation>
    </message>
    <message>
        <source>Close &amp;All Tiles</source>
        <translation>关闭全部窗口(&amp;A)</translation>
    </message>
    <message>
        <source>No free tile left: %1 of the channels were not opened.</source>
        <translation>没有空闲窗口：%1 个通道未打开。</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::VideoTile</name>
    <message>
        <source>The device ended the stream.</source>
        <translation>设备结束了码流。</translation>
    </message>
    <message>
        <source>The stream failed.</source>
        <translation>码流出错。</translation>
    </message>
    <message>
        <source>Double-click a channel in the device tree, or drag it here</source>
        <translation>在设备树中双击通道，或将通道拖到这里</translation>
    </message>
    <message>
        <source>Connecting… (%1 s)</source>
        <translation>正在连接…（%1 秒）</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>No video for %1 s</source>
        <translation>%1 秒无视频画面</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Offline: %1</source>
        <translation>离线：%1</translation>
    </message>
    <message>
        <source>Failed: %1
Retrying in %2 s</source>
        <translation>失败：%1
%2 秒后重试</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation>%1 帧/秒</translation>
    </message>
    <message>
        <source>Unknown codec</source>
        <translation>未知编码</translation>
    </message>
    <message>
        <source>%1 packets lost</source>
        <translation>丢包 %1 个</translation>
    </message>
    <message>
        <source>There is no picture to save yet.</source>
        <translation>还没有可保存的画面。</translation>
    </message>
    <message>
        <source>Cannot create the snapshot folder %1; choose another one in Settings.</source>
        <translation>无法创建抓图目录 %1；请在设置中选择其他目录。</translation>
    </message>
    <message>
        <source>Cannot write the snapshot %1; check that the folder is writable.</source>
        <translation>无法写入抓图 %1；请检查目录是否可写。</translation>
    </message>
    <message>
        <source>Snapshot saved: %1</source>
        <translation>抓图已保存：%1</translation>
    </message>
    <message>
        <source>Snapshot failed: %1</source>
        <translation>抓图失败：%1</translation>
    </message>
    <message>
        <source>Channel: %1</source>
        <translation>通道：%1</translation>
    </message>
    <message>
        <source>Channel ID: %1</source>
        <translation>通道编号：%1</translation>
    </message>
    <message>
        <source>Stream: %1</source>
        <translation>码流：%1</translation>
    </message>
    <message>
        <source>Main stream</source>
        <translation>主码流</translation>
    </message>
    <message>
        <source>Sub stream</source>
        <translation>子码流</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <source>Playing</source>
        <translation>正在播放</translation>
    </message>
    <message>
        <source>Transport: %1</source>
        <translation>传输方式：%1</translation>
    </message>
    <message>
        <source>Packets lost: %1</source>
        <translation>丢包数：%1</translation>
    </message>
    <message>
        <source>Pictures received: %1, not shown: %2</source>
        <translation>已接收画面：%1，未显示：%2</translation>
    </message>
    <message>
        <source>Stream Information</source>
        <translation>码流信息</translation>
    </message>
    <message>
        <source>&amp;Snapshot</source>
        <translation>抓图(&amp;S)</translation>
    </message>
    <message>
        <source>Stream &amp;Information…</source>
        <translation>码流信息(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Main Stream</source>
        <translation>主码流(&amp;M)</translation>
    </message>
    <message>
        <source>S&amp;ub Stream</source>
        <translation>子码流(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>还原(&amp;R)</translation>
    </message>
    <message>
        <source>Ma&amp;ximize</source>
        <translation>最大化(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>the device is not in the list any more</source>
        <translation>该设备已不在列表中</translation>
    </message>
    <message>
        <source>device %1: %2</source>
        <translation>设备 %1：%2</translation>
    </message>
    <message>
        <source>the device reports the channel offline</source>
        <translation>设备上报该通道离线</translation>
    </message>
    <message>
        <source>main stream</source>
        <translation>主码流</translation>
    </message>
    <message>
        <source>sub stream</source>
        <translation>子码流</translation>
    </message>
    <message>
        <source>&amp;Automatic: Main Stream</source>
        <translation>自动：主码流(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Automatic: Sub Stream</source>
        <translation>自动：子码流(&amp;A)</translation>
    </message>
    <message>
        <source>Small tiles play the sub stream, large and maximized tiles the main stream.</source>
        <translation>小窗口播放子码流，大窗口和最大化的窗口播放主码流。</translation>
    </message>
    <message>
        <source>%1 (the camera refused the sub stream)</source>
        <translation>%1（摄像机拒绝了子码流）</translation>
    </message>
    <message>
        <source>%1 (chosen by the tile&apos;s size and the device&apos;s settings)</source>
        <translation>%1（按窗口大小和设备设置选择）</translation>
    </message>
</context>
<context>
    <name>Vigil::Ui::YuvPainter</name>
    <message>
        <source>Video cannot be shown: the graphics driver rejected the video shader.</source>
        <translation>无法显示视频：显卡驱动不支持视频着色器。</translation>
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
    <message>
        <source>Folder for the device database.</source>
        <translation>设备数据库所在的文件夹。</translation>
    </message>
    <message>
        <source>SIP port for this run (UDP and TCP).</source>
        <translation>本次运行使用的 SIP 端口（UDP 和 TCP）。</translation>
    </message>
    <message>
        <source>Some saved settings are invalid and were not used: %1</source>
        <translation>部分已保存的设置无效，未被使用：%1</translation>
    </message>
    <message>
        <source>The GB/T 28181 server could not start: %1</source>
        <translation>GB/T 28181 服务无法启动：%1</translation>
    </message>
    <message>
        <source>Open the video channels of devices as they appear, in free tiles.</source>
        <translation>设备出现时，在空闲画面中自动打开其视频通道。</translation>
    </message>
    <message>
        <source>Save a picture of the window to FILE after --screenshot-delay seconds, then quit.</source>
        <translation>在 --screenshot-delay 秒后将窗口截图保存到 FILE，然后退出。</translation>
    </message>
    <message>
        <source>Seconds before --screenshot (default 10).</source>
        <translation>--screenshot 之前等待的秒数（默认 10）。</translation>
    </message>
</context>
</TS>
