"""One typed error family for input that cannot be parsed. Messages are Chinese, for users."""


class DisclosureError(Exception):
    """Base: the file cannot be read as a budget disclosure. `str(e)` is the user message."""

    user_message = "无法读取该文件。"

    def __init__(self, detail: str | None = None):
        self.detail = detail
        super().__init__(self.user_message if not detail else f"{self.user_message}（{detail}）")


class EmptyFileError(DisclosureError):
    user_message = "文件为空，没有可读取的内容。"


class NotPdfError(DisclosureError):
    user_message = "文件不是有效的PDF，请上传预算公开PDF或其文本导出（.md/.txt）。"


class EncryptedPdfError(DisclosureError):
    user_message = "PDF已加密，需要密码才能打开，请上传未加密的文件。"


class CorruptPdfError(DisclosureError):
    user_message = "PDF文件已损坏或不完整（可能下载中断），无法解析。"


class ScannedPdfError(DisclosureError):
    user_message = "PDF没有文字层（可能是扫描件），需要先做OCR文字识别才能解析。"


class UndecodableTextError(DisclosureError):
    user_message = "PDF中的文字无法解码（字体缺少编码映射，多为(cid:N)乱码），无法可靠解析。"


class NotADisclosureError(DisclosureError):
    user_message = "文件不是部门/单位预算公开文件（未找到预算报表或情况说明）。"


class TooLargeError(DisclosureError):
    user_message = "文件过大或页数过多，超出解析上限。"


class ParseTimeoutError(DisclosureError):
    user_message = "解析超时：文件过于复杂或可能是恶意构造的PDF，已停止解析。"
